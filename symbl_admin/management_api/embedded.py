"""Management API client layer: the embedded local server, reached in-process through requests.

`WSGIAdapter` is a requests transport adapter that hands a PreparedRequest to a WSGI app
without any socket and returns a real `requests.Response`. Mount it on a session and the
client code is identical for the embedded server and a remote one:

    session.mount(EMBEDDED_BASE_URL, WSGIAdapter(embedded_app()))
    session.get(f"{EMBEDDED_BASE_URL}/v1/manage/trackers", headers=..., timeout=(3, 15))

A read timeout behaves like a real one: the app runs on a worker thread, and when it does not
answer in time the adapter raises requests.ReadTimeout while the app carries on (so a write
may still land, exactly as over HTTP). A connection dropped by fault injection raises
requests.ConnectionError.

`embedded_app()` returns the process-wide app for the current Django settings.
"""

from __future__ import annotations

import io
import logging
import sys
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from symbl_admin.local_api import local_credentials
from symbl_admin.local_api.faults import ConnectionDropped, FaultConfig

logger = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

#: The base URL the client uses for the embedded server. `.invalid` never resolves (RFC 2606),
#: so a request that misses the adapter fails instead of leaving the machine.
EMBEDDED_BASE_URL = "http://embedded-management-api.invalid"

_EXECUTOR_WORKERS = 16
_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def _shared_executor() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(
                max_workers=_EXECUTOR_WORKERS, thread_name_prefix="embedded-management-api"
            )
        return _executor


def _read_timeout(timeout: Any) -> float | None:
    if timeout is None:
        return None
    if isinstance(timeout, tuple):
        return timeout[1] if len(timeout) > 1 else timeout[0]
    read = getattr(timeout, "read_timeout", timeout)  # urllib3 Timeout objects
    return read if isinstance(read, int | float) else None


def _body_bytes(body: Any) -> tuple[bytes, bool]:
    """The request body as bytes, and whether it came without a length (chunked)."""
    if body is None:
        return b"", False
    if isinstance(body, bytes):
        return body, False
    if isinstance(body, str):
        return body.encode("utf-8"), False
    if hasattr(body, "read"):
        data = body.read()
        return (data.encode("utf-8") if isinstance(data, str) else data), False
    # A generator or other iterable: requests sends those chunked.
    return b"".join(c.encode("utf-8") if isinstance(c, str) else c for c in body), True


class WSGIAdapter(BaseAdapter):
    """A requests adapter that serves requests from a WSGI app in this process."""

    def __init__(self, app: WSGIApp) -> None:
        super().__init__()
        self.app = app

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        """Run the request through the app and build the Response.

        Raises:
            requests.ConnectionError: the app dropped the connection (fault injection).
            requests.ReadTimeout: the app did not answer within the read timeout.
        """
        environ = self._environ(request)
        read_timeout = _read_timeout(timeout)
        try:
            if read_timeout is None:
                status, headers, body = self._run(environ)
            else:
                future = _shared_executor().submit(self._run, environ)
                status, headers, body = future.result(timeout=read_timeout)
        except FutureTimeout:
            raise requests.ReadTimeout(
                f"The embedded Management API did not answer within {read_timeout} s.",
                request=request,
            ) from None
        except ConnectionDropped as error:
            raise requests.ConnectionError(str(error), request=request) from None
        return self._response(request, status, headers, body)

    def _run(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
        started: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
            started["status"], started["headers"] = status, headers
            return lambda data: started.setdefault("written", []).append(data)

        result = self.app(environ, start_response)
        try:
            chunks = [*started.get("written", []), *result]
        finally:
            close = getattr(result, "close", None)
            if close:
                close()
        return started["status"], started["headers"], b"".join(chunks)

    @staticmethod
    def _environ(request: requests.PreparedRequest) -> dict[str, Any]:
        url = urlsplit(request.url or "")
        body, chunked = _body_bytes(request.body)
        port = url.port or (443 if url.scheme == "https" else 80)
        environ: dict[str, Any] = {
            "REQUEST_METHOD": (request.method or "GET").upper(),
            "SCRIPT_NAME": "",
            # WSGI wants the percent-decoded path as latin-1 text of the raw bytes.
            "PATH_INFO": unquote_to_bytes(url.path or "/").decode("latin-1"),
            "QUERY_STRING": url.query,
            "SERVER_NAME": url.hostname or "localhost",
            "SERVER_PORT": str(port),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": url.scheme or "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        for name, value in request.headers.items():
            key = name.upper().replace("-", "_")
            if key == "CONTENT_TYPE":
                environ["CONTENT_TYPE"] = value
            elif key == "CONTENT_LENGTH":
                environ["CONTENT_LENGTH"] = value
            else:
                environ[f"HTTP_{key}"] = value
        if chunked:
            environ.pop("CONTENT_LENGTH", None)
            environ["HTTP_TRANSFER_ENCODING"] = "chunked"
        elif body and "CONTENT_LENGTH" not in environ:
            environ["CONTENT_LENGTH"] = str(len(body))
        return environ

    def _response(
        self,
        request: requests.PreparedRequest,
        status: str,
        headers: list[tuple[str, str]],
        body: bytes,
    ) -> requests.Response:
        response = requests.Response()
        code, _, reason = status.partition(" ")
        response.status_code = int(code)
        response.reason = reason or HTTPStatus(int(code)).phrase
        response.headers = CaseInsensitiveDict(headers)
        response.encoding = get_encoding_from_headers(response.headers)
        response.raw = io.BytesIO(body)
        response._content = body
        response.url = request.url or ""
        response.request = request
        response.connection = self
        return response

    def close(self) -> None:
        """Nothing to release: the worker threads are shared by every adapter."""


# -- the process-wide embedded app --------------------------------------------------------

_apps: dict[tuple[str, str, str, FaultConfig], WSGIApp] = {}
_apps_lock = threading.Lock()


def embedded_app() -> WSGIApp:
    """The local Management API app for the current Django settings, built once per process.

    Data file: settings.SYMBL_LOCAL_API_DATA. Credentials: SYMBL_APP_ID/SYMBL_APP_SECRET when
    both are set, else the local default pair. Faults: SYMBL_FAULT_* from the environment.
    One app per distinct configuration, so tests that override settings get their own.

    Raises:
        ValueError: a SYMBL_FAULT_* variable is malformed.
    """
    from django.conf import settings

    from symbl_admin.local_api.app import create_app

    app_id, app_secret = local_credentials(settings.SYMBL_APP_ID, settings.SYMBL_APP_SECRET)
    key = (str(settings.SYMBL_LOCAL_API_DATA), app_id, app_secret, FaultConfig.from_env())
    with _apps_lock:
        app = _apps.get(key)
        if app is None:
            data_path, _, _, faults = key
            app = create_app(
                data_path=data_path, app_id=app_id, app_secret=app_secret, faults=faults
            )
            _apps[key] = app
            logger.info("embedded Management API on %s (%s)", data_path, faults.describe())
        return app


def embedded_session(app: WSGIApp | None = None) -> requests.Session:
    """A session with the embedded app mounted on EMBEDDED_BASE_URL (for commands and tests)."""
    session = requests.Session()
    session.mount(EMBEDDED_BASE_URL, WSGIAdapter(app if app is not None else embedded_app()))
    return session
