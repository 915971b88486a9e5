"""The secrets watch: for every test of the suite, no known secret in what the dashboard logs
or renders.

For each test (setup, call and teardown) it hears:
- every log record of every logger, down to DEBUG (a handler on the root logger and on each
  logger that does not propagate): the formatted message, the exception text and the stack.
  The handlers configured before keep passing only what they passed before;
- every response the dashboard answers in-process (the Django test client, the browser tests'
  live server): headers and body, a streaming body chunk by chunk as it streams
  (`WatchMiddleware`, the outermost middleware in tests/settings.py). Set-Cookie is not
  searched: a session id in its own cookie is where it belongs;
- every answer of the embedded Management API (its in-process adapter), except the token
  endpoint's, whose whole point is the token.

It searches them for the secrets current in that test: settings.SECRET_KEY and
settings.SYMBL_APP_SECRET (read again at every response, so a test's override counts), every
password set on a user (`set_password`), every access token the local Management API issued
(`Store.issue_token`) and every session key Django created. Values shorter than MIN_LENGTH
are too common to mean anything and are left out.

A leak fails the test at teardown, saying what leaked where, with only the first characters
of the value. A test that shows a secret on purpose (to prove it is refused, or the watch
itself) is marked `@pytest.mark.secrets_shown("why")`: its leaks are counted, not failed.

Processes the tests start (gunicorn, the standalone server) are outside this watch; the tests
that start them look at their logs where it matters.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import Counter
from collections.abc import Iterable, Iterator

import pytest

MIN_LENGTH = 8
MARKER = "secrets_shown"
SHOWN_CHARS = 4


class Watch:
    """The secrets of the current test and what was heard; thread-safe (live server)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.active = False
        self.allowed = False
        self.leaks: list[str] = []
        self.totals: Counter = Counter()
        self.hashes: set[str] = set()
        self._labels: dict[str, str] = {}
        # (text, bytes, label) per value; replaced whole on learn, so a scan reads one tuple.
        self._search: tuple[tuple[str, bytes, str], ...] = ()

    # -- the test's lifetime ---------------------------------------------------------------

    def start(self, *, allowed: bool) -> None:
        with self._lock:
            self.active, self.allowed, self.leaks = True, allowed, []
            self._labels, self._search = {}, ()
        self.learn_settings()

    def stop(self) -> list[str]:
        """Stop listening; the leaks of the test."""
        with self._lock:
            self.active = False
            self.totals["tests"] += 1
            self.totals["searched"] += len(self._labels)
            self.hashes.update(_digest(value) for value in self._labels)
            if self.leaks:
                self.totals["allowed" if self.allowed else "leaks"] += len(self.leaks)
            return list(self.leaks)

    def forgive(self) -> list[str]:
        """Drop the leaks heard so far (the watch's own tests); returns them."""
        with self._lock:
            leaks, self.leaks = self.leaks, []
            return leaks

    # -- what is secret --------------------------------------------------------------------

    def learn(self, label: str, value) -> None:
        if not isinstance(value, str) or len(value) < MIN_LENGTH or not self.active:
            return
        with self._lock:
            if value in self._labels:
                return
            self._labels[value] = label
            self._search = (*self._search, (value, value.encode(), label))

    def learn_settings(self) -> None:
        from django.conf import settings

        if settings.configured:
            self.learn("settings.SECRET_KEY", getattr(settings, "SECRET_KEY", ""))
            self.learn("settings.SYMBL_APP_SECRET", getattr(settings, "SYMBL_APP_SECRET", ""))

    # -- what was heard --------------------------------------------------------------------

    def scan(self, where: str, data: str | bytes) -> None:
        if not self.active or not data:
            return
        text = isinstance(data, str)
        for value, encoded, label in self._search:
            if (value if text else encoded) in data:
                shown = value[:SHOWN_CHARS]
                with self._lock:
                    self.leaks.append(f"{label} ({shown}…, {len(value)} chars) in {where}")

    def log_record(self, record: logging.LogRecord) -> None:
        if not self.active:
            return
        try:
            message = record.getMessage()
        except Exception:  # a broken record still gets its raw parts searched
            message = f"{record.msg!r} {record.args!r}"
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        parts = [message, record.exc_text or "", record.stack_info or ""]
        self.totals["logs"] += 1
        self.scan(f"a log record of {record.name} ({record.levelname})", "\n".join(parts))

    def response(self, where: str, response) -> None:
        """Headers and body of a dashboard response (the body wrapped if it streams)."""
        if not self.active:
            return
        self.learn_settings()
        self.totals["responses"] += 1
        headers = "\n".join(f"{name}: {value}" for name, value in response.items())
        self.scan(f"the headers of {where}", headers)
        if not response.streaming:
            self.totals["bytes"] += len(response.content)
            self.scan(f"the body of {where}", response.content)
        elif not getattr(response, "is_async", False):
            chunks = response.streaming_content  # read before it is replaced
            response.streaming_content = self.stream(f"the streamed body of {where}", chunks)

    def stream(self, where: str, chunks: Iterable[bytes]) -> Iterator[bytes]:
        """The chunks as they come, each searched with the end of the one before (a value
        may straddle two chunks)."""
        tail = b""
        for chunk in chunks:
            overlap = max((len(e) for _, e, _ in self._search), default=1) - 1
            self.totals["bytes"] += len(chunk)
            self.scan(where, tail + chunk)
            tail = (tail + chunk)[-overlap:] if overlap else b""
            yield chunk


WATCH = Watch()


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


class WatchMiddleware:
    """Outermost middleware (tests/settings.py): every response the dashboard gives."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if WATCH.active:
            WATCH.response(f"{request.method} {request.path} ({response.status_code})", response)
        return response


class _Handler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        WATCH.log_record(record)


# -- where secrets are made ---------------------------------------------------------------


def _install_hooks() -> None:
    """Wrap the places that make secrets, and the embedded API's answers, for the session."""
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.sessions.backends.base import SessionBase

    from local_api.app import TOKEN_PATH
    from local_api.store import Store
    from symbl_admin.management_api.embedded import WSGIAdapter

    set_password = AbstractBaseUser.set_password
    new_session_key = SessionBase._get_new_session_key
    issue_token = Store.issue_token
    build_response = WSGIAdapter._response

    def watched_set_password(self, raw_password):
        WATCH.learn("a password", raw_password)
        return set_password(self, raw_password)

    def watched_new_session_key(self):
        key = new_session_key(self)
        WATCH.learn("a session key", key)
        return key

    def watched_issue_token(self, ttl_seconds):
        token = issue_token(self, ttl_seconds)
        WATCH.learn("an access token", token)
        return token

    def watched_response(self, request, status, headers, body):
        path = (request.path_url or "").split("?", 1)[0]
        if WATCH.active and path != TOKEN_PATH:
            WATCH.totals["api responses"] += 1
            WATCH.scan(f"the embedded Management API's answer to {request.method} {path}", body)
        return build_response(self, request, status, headers, body)

    AbstractBaseUser.set_password = watched_set_password
    SessionBase._get_new_session_key = watched_new_session_key
    Store.issue_token = watched_issue_token
    WSGIAdapter._response = watched_response


class _AsBefore(logging.Filter):
    """On the handlers that were configured before the watch lowered every level: they
    still pass only what they passed before (the console stays as quiet as it was)."""

    def __init__(self, levels: dict[str, int], root_level: int) -> None:
        super().__init__()
        self.levels, self.root_level = levels, root_level

    def filter(self, record: logging.LogRecord) -> bool:
        name = record.name
        while name and name not in self.levels:
            name = name.rpartition(".")[0]
        return record.levelno >= self.levels.get(name, self.root_level)


def _hear_everything(handler: logging.Handler) -> None:
    """Every logger down to DEBUG, so the watch hears what a LOG_LEVEL=DEBUG run would log."""
    root = logging.getLogger()
    loggers = {
        name: logger
        for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    if root.level == logging.DEBUG and all(not x.level for x in loggers.values()):
        return  # done already, and nothing configured logging again since
    before = _AsBefore(
        {name: logger.getEffectiveLevel() for name, logger in loggers.items()}, root.level
    )
    for logger in [root, *loggers.values()]:
        for other in logger.handlers:
            if other is not handler:
                other.filters = [f for f in other.filters if not isinstance(f, _AsBefore)]
                other.addFilter(before)
        logger.setLevel(logging.DEBUG if logger is root else logging.NOTSET)


def _attach_handler(handler: logging.Handler) -> None:
    """On the root logger and on every logger that stops its records before the root."""
    root = logging.getLogger()
    if handler not in root.handlers:
        root.addHandler(handler)
    for logger in list(logging.root.manager.loggerDict.values()):
        stops = isinstance(logger, logging.Logger) and not logger.propagate
        if stops and handler not in logger.handlers:
            logger.addHandler(handler)


class Plugin:
    """Registered by tests/conftest.py for the whole session."""

    def __init__(self) -> None:
        self.handler = _Handler(level=logging.NOTSET)
        self.installed = False

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_setup(self, item):
        if not self.installed:
            _install_hooks()
            self.installed = True
        _hear_everything(self.handler)
        _attach_handler(self.handler)  # loggers made since the last test
        WATCH.start(allowed=item.get_closest_marker(MARKER) is not None)
        return (yield)

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_teardown(self, item, nextitem):
        try:
            result = yield
        finally:
            leaks = WATCH.stop()
        if leaks and item.get_closest_marker(MARKER) is None:
            listed = "\n  ".join(dict.fromkeys(leaks))
            pytest.fail(f"secrets watch: a known secret leaked:\n  {listed}", pytrace=False)
        return result

    def pytest_sessionfinish(self, session) -> None:
        output = getattr(session.config, "workeroutput", None)
        if output is not None:  # an xdist worker: hand the totals to the controller
            output["secrets_watch"] = {**WATCH.totals, "values": sorted(WATCH.hashes)}
