"""The CSRF token as a browser has it: from the page (the CSRF secret lives in the session,
so there is no csrftoken cookie to read)."""

from __future__ import annotations

import re

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


def token_in(page: str) -> str:
    """The page's CSRF token ("" when it shows none)."""
    found = _TOKEN.search(page)
    return (found.group(1) or found.group(2)) if found else ""
