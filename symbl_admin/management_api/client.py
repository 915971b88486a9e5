"""Management API client layer: the client object the dashboard calls.

`get_client()` returns the process-wide client built from settings: a remote server when
SYMBL_API_BASE_URL is set, else the embedded server named by SYMBL_API_EMBEDDED_APP,
in-process (embedded.py). Its `.trackers` and `.groups` (resources.py) speak in `Tracker`
and `Group` dataclasses, its `.conversations` (conversations.py) in those of
conversation_types.py, its `.detections` (detections.py) in those of detection_types.py;
all raise `ManagementAPIError`s; the wire (session, token, retries, deadline) is
`transport.Transport`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import requests

from . import sessions
from .breaker import CircuitBreaker
from .conversations import Conversations
from .detections import Detections
from .errors import ManagementAPIError
from .resources import Groups, Trackers
from .tracker_preview import TrackerPreviews
from .tracker_quality import TrackerQualityApi
from .transport import Transport

logger = logging.getLogger("symbl_admin.management_api")

PING_BUDGET = 5.0


class ManagementAPIClient:
    """A Management API server at `base_url`, signed in with `app_id` / `app_secret`."""

    def __init__(
        self,
        base_url: str,
        app_id: str,
        app_secret: str,
        *,
        session: requests.Session | None = None,
        connect_timeout: float = 3.0,
        read_timeout: float = 15.0,
        deadline: float = 20.0,
        sleep: Callable[[float], None] = time.sleep,
        cache: Any = None,
        mode: str = "remote",
        **transport_options: Any,
    ) -> None:
        self.mode = mode
        self.transport = Transport(
            base_url,
            app_id,
            app_secret,
            session=session,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            deadline=deadline,
            sleep=sleep,
            cache=cache,
            **transport_options,
        )
        self.trackers = Trackers(self.transport)
        self.groups = Groups(self.transport)
        self.conversations = Conversations(self.transport)
        self.tracker_previews = TrackerPreviews(self.transport)
        self.detections = Detections(self.transport)
        self.tracker_quality = TrackerQualityApi(self.transport)  # our /v1/x extension

    def __repr__(self) -> str:
        return f"ManagementAPIClient(mode={self.mode!r}, base_url={self.base_url!r})"

    @property
    def base_url(self) -> str:
        return self.transport.base_url

    @property
    def breaker(self) -> CircuitBreaker:
        return self.transport.breaker

    def describe(self) -> dict[str, str]:
        """Which server this client talks to, for the overview page and /readyz."""
        return {"mode": self.mode, "base_url": self.base_url}

    def ping(self) -> tuple[bool, str]:
        """A cheap authenticated call (token, then the group list). Never raises."""
        try:
            self.transport.request("GET", "/v1/manage/groups", budget=PING_BUDGET)
        except ManagementAPIError as exc:
            reason = exc.title
            if exc.status:
                reason = f"{reason} (HTTP {exc.status})"
            return False, reason
        except Exception as exc:  # a probe must answer, whatever broke underneath
            logger.warning("management api ping failed: %s", type(exc).__name__)
            return False, f"Unexpected error: {type(exc).__name__}"
        return True, "ok"


# -- the process-wide client --------------------------------------------------------------

_client_lock = threading.Lock()
_client: tuple[tuple, ManagementAPIClient] | None = None


def get_client() -> ManagementAPIClient:
    """The process-wide client from settings: SYMBL_API_BASE_URL, or the embedded server.

    Built once per configuration, so a settings override (tests) gets a client of its own.
    """
    global _client
    key = _settings_key()
    current = _client
    if current is not None and current[0] == key:
        return current[1]
    with _client_lock:
        if _client is None or _client[0] != key:
            _client = (key, _client_from_settings())
        return _client[1]


def reset_client() -> None:
    """Forget the process-wide client and session (tests, settings changes)."""
    global _client
    with _client_lock:
        _client = None
        sessions.close_shared_session()


def _settings_key() -> tuple:
    from django.conf import settings

    return (
        settings.SYMBL_API_BASE_URL,
        settings.SYMBL_APP_ID,
        settings.SYMBL_APP_SECRET,
        settings.SYMBL_API_CONNECT_TIMEOUT,
        settings.SYMBL_API_READ_TIMEOUT,
        settings.SYMBL_API_DEADLINE,
        settings.SYMBL_API_EMBEDDED_APP,
        str(settings.SYMBL_LOCAL_API_DATA),
        settings.SYMBL_API_BREAKER_THRESHOLD,
        settings.SYMBL_API_BREAKER_COOLDOWN,
        settings.TIME_ZONE,
    )


def _client_from_settings() -> ManagementAPIClient:
    from django.conf import settings

    timeouts = {
        "connect_timeout": settings.SYMBL_API_CONNECT_TIMEOUT,
        "read_timeout": settings.SYMBL_API_READ_TIMEOUT,
        "deadline": settings.SYMBL_API_DEADLINE,
        # One breaker per client, and one client per process: shared by a worker's threads.
        "breaker": CircuitBreaker(
            threshold=settings.SYMBL_API_BREAKER_THRESHOLD,
            cooldown=settings.SYMBL_API_BREAKER_COOLDOWN,
            zone=ZoneInfo(settings.TIME_ZONE),
        ),
    }
    if settings.SYMBL_API_BASE_URL:
        return ManagementAPIClient(
            settings.SYMBL_API_BASE_URL,
            settings.SYMBL_APP_ID,
            settings.SYMBL_APP_SECRET,
            mode="remote",
            **timeouts,
        )
    # Imported here: the embedded server is only loaded when it is the one in use.
    from .embedded import EMBEDDED_BASE_URL, WSGIAdapter, embedded_app

    app, app_id, app_secret = embedded_app()
    # Its own session: the adapter calls the app in-process, so there are no sockets to share.
    session = sessions.new_session()
    session.mount(EMBEDDED_BASE_URL, WSGIAdapter(app))
    return ManagementAPIClient(
        EMBEDDED_BASE_URL, app_id, app_secret, session=session, mode="embedded", **timeouts
    )


__all__ = [
    "Groups",
    "ManagementAPIClient",
    "Trackers",
    "get_client",
    "reset_client",
]
