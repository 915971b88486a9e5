"""Audit domain: the time zone the log's date filters are read in.

The table shows each time in the viewer's zone (static/js/app.js, data-local), so "From
Dec 8" must mean Dec 8 there: the browser sends its zone with the request (static/js/audit.js
fills the filter form's hidden `tz`); without one, or with one this server does not know, the
dates are read in the dashboard's TIME_ZONE (DJANGO_TIME_ZONE). The page says which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings

# IANA names only: letters, digits and _ + - in parts joined by "/" (never a path like "../").
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9][A-Za-z0-9_+-]*){0,2}")


@dataclass(frozen=True)
class Zone:
    name: str
    from_browser: bool
    unknown: str = ""  # a zone that was sent but is not known here

    @property
    def words(self) -> str:
        where = (
            "your browser’s time zone"
            if self.from_browser
            else "the dashboard’s time zone, DJANGO_TIME_ZONE"
        )
        return f"Dates are read in {self.name} ({where})."


def known(name: str) -> bool:
    """An IANA zone name this server's zone database has."""
    if len(name) > 64 or not _NAME.fullmatch(name):
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def chosen(asked: str, *, unknown: str = "") -> Zone:
    """The browser's zone when it is known, else the dashboard's."""
    if asked and known(asked):
        return Zone(asked, from_browser=True)
    return Zone(settings.TIME_ZONE, from_browser=False, unknown=unknown[:64])
