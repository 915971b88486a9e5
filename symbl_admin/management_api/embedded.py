"""Management API client layer: an embedded server, reached in-process through requests.

`WSGIAdapter` is a requests transport adapter that hands a PreparedRequest to any WSGI app
without a socket and returns a real `requests.Response`. Mount it on a session and the
client code is identical for an embedded server and a remote one:

    app, app_id, app_secret = embedded_app()
    session.mount(EMBEDDED_BASE_URL, WSGIAdapter(app))
    session.get(f"{EMBEDDED_BASE_URL}/v1/manage/trackers", headers=..., timeout=(3, 15))

Which app: `embedded_app()` calls the function named by settings.SYMBL_API_EMBEDDED_APP (a
dotted path; by default our own server's `local_api.embedded.wsgi_app`), which
returns `(wsgi_app, app_id, app_secret)`. This package never imports a server.

What the adapter promises an app, as a socket would:
- A read timeout behaves like a real one: the app runs on a worker thread, and when it does
  not answer in time the adapter raises requests.ReadTimeout while the app carries on (so a
  write may still land, exactly as over HTTP).
- Dropping the connection: an app that raises `ConnectionAbortedError` (the builtin, so the
  two sides share no code) closes the connection without an answer; the adapter raises
  requests.ConnectionError, as for a socket the server shut.
"""

from __future__ import annotations

import io
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
            requests.ConnectionError: the app dropped the connection (ConnectionAbortedError).
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
        except ConnectionAbortedError as error:
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


# -- the configured app ---------------------------------------------------------------


def embedded_app() -> tuple[WSGIApp, str, str]:
    """The embedded server for the current settings: (wsgi_app, app_id, app_secret).

    Calls settings.SYMBL_API_EMBEDDED_APP each time; the server caches its own app.

    Raises:
        ImportError: the setting names nothing importable.
    """
    from django.conf import settings
    from django.utils.module_loading import import_string

    app, app_id, app_secret = import_string(settings.SYMBL_API_EMBEDDED_APP)()
    return app, app_id, app_secret
