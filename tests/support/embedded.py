"""A requests session on the embedded Management API, for tests that speak its HTTP."""

from __future__ import annotations

import requests

from symbl_admin.management_api.embedded import (
    EMBEDDED_BASE_URL,
    WSGIAdapter,
    WSGIApp,
    embedded_app,
)


def embedded_session(app: WSGIApp | None = None) -> requests.Session:
    """A session with `app` (default: the configured one) mounted on EMBEDDED_BASE_URL."""
    session = requests.Session()
    session.mount(EMBEDDED_BASE_URL, WSGIAdapter(app if app is not None else embedded_app()[0]))
    return session
