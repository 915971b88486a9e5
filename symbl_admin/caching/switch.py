"""The one switch: `DASHBOARD_CACHES` says which layers are on.

    DASHBOARD_CACHES=on            every layer (the default)
    DASHBOARD_CACHES=off           none: every page is rendered afresh
    DASHBOARD_CACHES=-pages,-rows  every layer but these
    DASHBOARD_CACHES=pages         only these

Read from settings on each use, so a test's override_settings switches it at once.
"""

from __future__ import annotations

import functools

from django.conf import settings


@functools.cache
def _parse(value: str) -> tuple[bool, frozenset[str]]:
    """(the default for a layer not named, the layers named the other way)."""
    words = [w.strip() for w in value.split(",") if w.strip()]
    if not words or words == ["on"]:
        return True, frozenset()
    if words == ["off"]:
        return False, frozenset()
    if all(w.startswith("-") for w in words):
        return True, frozenset(w[1:] for w in words)
    return False, frozenset(w.lstrip("+") for w in words)


def enabled(layer: str) -> bool:
    """Whether this layer keeps values now."""
    default, named = _parse(str(getattr(settings, "DASHBOARD_CACHES", "on")).lower())
    return (layer not in named) if default else (layer in named)
