"""The one switch: `DASHBOARD_CACHES` says which layers are on.

    DASHBOARD_CACHES=on            every layer (the default)
    DASHBOARD_CACHES=off           none: every page is rendered afresh
    DASHBOARD_CACHES=-pages,-rows  every layer but these
    DASHBOARD_CACHES=pages         only these

Read from the settings once, and again when a test changes them (setting_changed): a memo of
a phrase is asked 50,000 times by one quality report, and reading a setting costs a microsecond.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

_state: tuple[bool, frozenset[str]] | None = None


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
    global _state
    state = _state
    if state is None:
        state = _state = _parse(str(getattr(settings, "DASHBOARD_CACHES", "on")).lower())
    default, named = state
    return (layer not in named) if default else (layer in named)


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs) -> None:
    global _state
    if setting == "DASHBOARD_CACHES":
        _state = None
