"""Links to many objects from one reverse(): a page of fifty rows, or a hundred audit entries,
built its links with a reverse() each, and those were most of its render (`make bench`)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_MARKER = "9081726354"  # fits <int:…> and <str:…> alike; no route holds it


def url_for_each(name: str) -> Callable[[object], str]:
    """value → reverse(name, args=[value]), reversed once."""
    pattern = reverse(name, args=[_MARKER])
    return lambda value: pattern.replace(_MARKER, quote(str(value), safe=""))


@functools.lru_cache(maxsize=32)
def _kept(name: str, prefix: str, urlconf: str) -> Callable[[object], str]:
    return url_for_each(name)


def url_of(name: str, value: object) -> str:
    """reverse(name, args=[value]) through a pattern kept per URL name (and prefix/URLconf)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _kept(name, get_script_prefix(), str(urlconf))(value)
