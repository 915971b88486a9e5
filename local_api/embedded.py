"""Local Management API server: the embedded instance, built from the Django settings.

The dashboard's client finds it through a setting, never by importing this package:

    SYMBL_API_EMBEDDED_APP = "local_api.embedded.wsgi_app"

`wsgi_app()` returns the WSGI app and the credentials pair it accepts; the client mounts the
app on its in-process adapter (symbl_admin.management_api.embedded) and signs in with the pair.
"""

from __future__ import annotations

import logging
import threading
from typing import NamedTuple

from django.conf import settings

from local_api import local_credentials
from local_api.app import WSGIApp, create_app
from local_api.faults import FaultConfig
from local_api.store import safe_location

logger = logging.getLogger(__name__)


class EmbeddedApp(NamedTuple):
    """What SYMBL_API_EMBEDDED_APP's callable returns: the app and the pair it accepts."""

    app: WSGIApp
    app_id: str
    app_secret: str


_apps: dict[tuple[str, str, str, FaultConfig], EmbeddedApp] = {}
_apps_lock = threading.Lock()


def wsgi_app() -> EmbeddedApp:
    """The local Management API for the current Django settings, built once per process.

    Data: settings.SYMBL_LOCAL_API_DATABASE_URL when set (PostgreSQL), else the SQLite file
    settings.SYMBL_LOCAL_API_DATA. Credentials: SYMBL_APP_ID/SYMBL_APP_SECRET when
    both are set, else the local default pair. Faults: SYMBL_FAULT_* from the environment.
    One app per distinct configuration, so tests that override settings get their own.

    Raises:
        ValueError: a SYMBL_FAULT_* variable is malformed.
    """
    app_id, app_secret = local_credentials(settings.SYMBL_APP_ID, settings.SYMBL_APP_SECRET)
    location = settings.SYMBL_LOCAL_API_DATABASE_URL or str(settings.SYMBL_LOCAL_API_DATA)
    key = (location, app_id, app_secret, FaultConfig.from_env())
    with _apps_lock:
        embedded = _apps.get(key)
        if embedded is None:
            data_path, _, _, faults = key
            app = create_app(
                data_path=data_path, app_id=app_id, app_secret=app_secret, faults=faults
            )
            embedded = _apps[key] = EmbeddedApp(app, app_id, app_secret)
            logger.info(
                "embedded Management API on %s (%s)", safe_location(data_path), faults.describe()
            )
        return embedded


def forget(location: str) -> None:
    """Drop the embedded apps built on `location` (a test's data file is gone afterwards):
    their stores, and so their open connections, go with them."""
    with _apps_lock:
        for key in [k for k in _apps if k[0] == location]:
            del _apps[key]
