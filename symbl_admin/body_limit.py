"""WSGI plumbing around the dashboard: request bodies over a limit are refused before they are read.

Django reads a body lazily, and the CSRF check reads it before any view runs: a multipart file
over 2.5 MB is spooled to the temp dir in full, so anyone, signed in or not, could stage
gigabytes there. This wrapper runs first, in front of Django (symbl_admin/wsgi.py, which
gunicorn, `make run` and `make dev` all serve):

- a Content-Length over the limit is answered 413 at once, nothing of the body read;
- a body without a length (Transfer-Encoding: chunked; the server decodes it and marks
  `wsgi.input_terminated`) is counted while it is read, into memory up to Django's
  FILE_UPLOAD_MAX_MEMORY_SIZE and then a temporary file, and refused with 413 as soon as it
  passes the limit; one that fits is handed to Django with its length, as if it had one
  (Django by itself reads no chunked body at all). Nothing past the limit is ever kept.

The 413 is the dashboard's error page saying the limit (templates/413.html, rendered without a
request: Django's middleware never runs for it), sent with nosniff, frame DENY and no-store; it
shows nothing the visitor sent. gunicorn drains what is left of a refused body only up to its own cap,
then closes the connection.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from typing import Any

MB = 1_048_576
_READ_SIZE = 65_536

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _announced_length(environ: dict[str, Any]) -> int | None:
    """The Content-Length as a number; None when absent or not a size (Django then reads none)."""
    value = environ.get("CONTENT_LENGTH", "").strip()
    return int(value) if value.isdigit() else None


class BodyLimit:
    """The WSGI app `app` with request bodies limited to `limit` bytes (see the module)."""

    def __init__(
        self,
        app: WSGIApp,
        *,
        limit: int,
        memory_size: int,
        temp_dir: str | None = None,
        refusal: Callable[[int], bytes],
    ) -> None:
        if limit < 1:
            raise ValueError("the request body limit must be at least 1 byte")
        self.app = app
        self.limit = limit
        self.memory_size = memory_size
        self.temp_dir = temp_dir
        self.refusal = refusal

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        length = _announced_length(environ)
        if length is not None:
            if length > self.limit:
                return self._refuse(start_response)
            return self.app(environ, start_response)
        if not self._unannounced_body(environ):
            return self.app(environ, start_response)
        # Outlives this call: closed with the answer (_closing), or at once when refused.
        spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=self.memory_size, dir=self.temp_dir
        )
        try:
            size = self._count_into(environ["wsgi.input"], spool)
        except BaseException:
            spool.close()
            raise
        if size > self.limit:
            spool.close()
            return self._refuse(start_response)
        spool.seek(0)
        environ["wsgi.input"] = spool
        environ["CONTENT_LENGTH"] = str(size)
        return _closing(self.app(environ, start_response), spool)

    @staticmethod
    def _unannounced_body(environ: dict[str, Any]) -> bool:
        # Only a server that decodes chunked bodies and marks their end can be read to it;
        # Django's development server does neither, and Django then reads nothing.
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        return chunked and bool(environ.get("wsgi.input_terminated"))

    def _count_into(self, stream: Any, spool: Any) -> int:
        """Copy the body into `spool`, stopping one read past the limit. Returns the bytes read."""
        size = 0
        while size <= self.limit:
            chunk = stream.read(min(_READ_SIZE, self.limit + 1 - size))
            if not chunk:
                break
            size += len(chunk)
            if size <= self.limit:
                spool.write(chunk)
        return size

    def _refuse(self, start_response: Callable[..., Any]) -> list[bytes]:
        body = self.refusal(self.limit)
        start_response(
            "413 Content Too Large",
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store"),
                ("X-Content-Type-Options", "nosniff"),
                ("X-Frame-Options", "DENY"),
            ],
        )
        return [body]


def _closing(result: Iterable[bytes], spool: Any) -> Iterable[bytes]:
    """`result` whose close() also closes the spooled body (the server calls it when done)."""
    close = getattr(result, "close", None)

    def close_both() -> None:
        try:
            if close is not None:
                close()
        finally:
            spool.close()

    try:
        result.close = close_both  # type: ignore[attr-defined]
    except AttributeError:
        spool.close()  # a list or tuple: the app is done with the body already
    return result


def render_refusal(limit: int) -> bytes:
    """The 413 page: templates/413.html, saying the limit."""
    from django.template.loader import render_to_string

    megabytes = f"{limit / MB:g} MB" if limit >= MB else f"{limit:,} bytes"
    return render_to_string("413.html", {"limit": megabytes}).encode()


def limited(app: WSGIApp) -> BodyLimit:
    """The dashboard's WSGI app with the limit and temp dir from the settings."""
    from django.conf import settings

    return BodyLimit(
        app,
        limit=settings.MAX_REQUEST_BODY_BYTES,
        memory_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
        temp_dir=settings.FILE_UPLOAD_TEMP_DIR,
        refusal=render_refusal,
    )
