"""Links from reverse() patterns kept per URL name: a page of fifty rows, or a hundred audit
entries, built its links with a reverse() each, and those were most of its render; every page
reverses a dozen more for its navigation and actions (`make bench`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from symbl_admin.caching import memo

_MARKER = "9081726354"  # fits <int:…> and <str:…> alike; no route holds it
_PLAIN = re.compile(r"[A-Za-z0-9_-]+")  # what every converter passes through unchanged


def url_for_each(name: str) -> Callable[[object], str]:
    """value → reverse(name, args=[value]), reversed once."""
    pattern = reverse(name, args=[_MARKER])
    return lambda value: pattern.replace(_MARKER, quote(str(value), safe=""))


@memo(
    "links",
    size=256,
    saves="one reverse() per URL name, where pages need fifty links of the same pattern",
    miss="one reverse(): about 10 µs",
)
def _kept(name: str, with_arg: bool, prefix: str, urlconf: str):
    return url_for_each(name) if with_arg else reverse(name)


def url_of(name: str, *args: object) -> str:
    """reverse(name, args=args), from a pattern kept per URL name (and script prefix and
    URLconf) when there is no argument or one plain one; anything else is reversed as ever
    (a value the route refuses still raises NoReverseMatch)."""
    if len(args) > 1 or (args and not _PLAIN.fullmatch(str(args[0]))):
        return reverse(name, args=args)
    key = (name, bool(args), get_script_prefix(), str(get_urlconf() or settings.ROOT_URLCONF))
    kept = _kept(*key)
    return kept(args[0]) if args else kept
