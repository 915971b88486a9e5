"""Management API client layer: the HTTP sessions. One keep-alive pool per process, made
again in a forked child; no retries of their own (the Transport decides those)."""

from __future__ import annotations

import os
import threading

import requests
from requests.adapters import HTTPAdapter

_session_lock = threading.Lock()
_session: requests.Session | None = None
_session_pid: int | None = None


def new_session(*, pool_maxsize: int = 16) -> requests.Session:
    """A session with a keep-alive pool and no retries of its own (ours are in Transport)."""
    session = requests.Session()
    # urllib3's retries stay off: it would resend a POST after a dropped connection.
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool_maxsize, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    # Environment proxies and .netrc have no business on an API call with a bearer token.
    session.trust_env = False
    return session


def shared_session() -> requests.Session:
    """The process-wide session, created on first use (and again in a forked child)."""
    global _session, _session_pid
    pid = os.getpid()
    if _session is not None and _session_pid == pid:
        return _session
    with _session_lock:
        if _session is None or _session_pid != pid:
            # A session inherited over fork would share sockets with the parent.
            _session = new_session()
            _session_pid = pid
        return _session


def close_shared_session() -> None:
    """Drop the process-wide session (tests, settings changes)."""
    global _session, _session_pid
    with _session_lock:
        if _session is not None:
            _session.close()
        _session = None
        _session_pid = None
