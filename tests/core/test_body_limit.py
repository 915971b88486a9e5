"""Request bodies over the limit are refused before they are read (symbl_admin/body_limit.py),
over real HTTP against the dashboard under gunicorn, as `make run` serves it.

Unsigned-in, at the sign-in form: a multipart upload announcing 2 GB gets the 413 page at once,
and a chunked one (no length) is refused once past the limit; a watcher samples the server's
temp dir (TMPDIR) the whole time and nothing larger than the limit is ever in it.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
import requests

from tests.support.csrf import token_in
from tests.support.dashboard import dashboard_server, django_env, manage

MB = 1_048_576
LIMIT = 20 * MB  # the default
BOUNDARY = "symbl-test-boundary"
PASSWORD = "body-limit-demo-password-42"


@pytest.fixture(scope="module")
def var(tmp_path_factory) -> Path:
    var = tmp_path_factory.mktemp("body-limit")
    (var / "tmp").mkdir()
    env = django_env(f"sqlite:///{var / 'dashboard.sqlite3'}", var, DEMO_PASSWORD=PASSWORD)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "create_demo_users")
    return var


def _env(var: Path, **extra: str) -> dict[str, str]:
    return django_env(
        f"sqlite:///{var / 'dashboard.sqlite3'}", var, TMPDIR=str(var / "tmp"), **extra
    )


@pytest.fixture(scope="module")
def server(var):
    with dashboard_server(_env(var)) as server:
        yield server


class TempDirWatch:
    """The largest total of the files in `folder` seen, sampled every 10 ms."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for path in self.folder.rglob("*"):
                with contextlib.suppress(OSError):
                    total += path.stat().st_size if path.is_file() else 0
            self.peak = max(self.peak, total)
            time.sleep(0.01)

    def __enter__(self) -> TempDirWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        time.sleep(0.05)
        self._stop.set()
        self._thread.join()


def _multipart_head(size: int) -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
        f"Content-Type: text/csv\r\n\r\n"
    ).encode() + b"x" * (size - 120)


def _session_cookie(url: str) -> str:
    """The cookie a visitor of the sign-in page holds: with it, Django's CSRF check reads the
    body (without a session it refuses before reading)."""
    session = requests.Session()
    session.get(f"{url}/accounts/login/", timeout=10)
    return "; ".join(f"{name}={value}" for name, value in session.cookies.items())


def _send(url: str, headers: dict[str, str], pieces: Iterable[bytes]) -> tuple[int, str, str]:
    """POST /accounts/login/ over a raw socket, as a visitor of the sign-in page: the headers,
    then `pieces` from another thread (stopping when the server stops reading), while this one
    waits for the answer. Returns (status, Cache-Control, body); status 0 when no answer came
    within 20 s."""
    host, port = url.removeprefix("http://").split(":")
    cookie = _session_cookie(url)
    sock = socket.create_connection((host, int(port)), timeout=20)
    lines = ["POST /accounts/login/ HTTP/1.1", f"Host: {host}:{port}", f"Cookie: {cookie}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())

    def send_body() -> None:
        with contextlib.suppress(OSError):
            for piece in pieces:
                sock.sendall(piece)

    sender = threading.Thread(target=send_body, daemon=True)
    sender.start()
    response = http.client.HTTPResponse(sock)
    try:
        response.begin()
        return response.status, response.getheader("Cache-Control", ""), response.read().decode()
    except (TimeoutError, OSError):
        return 0, "", ""
    finally:
        sock.close()
        sender.join(timeout=5)


def _plain(total: int) -> Iterator[bytes]:
    body = _multipart_head(total)
    for start in range(0, len(body), 65_536):
        yield body[start : start + 65_536]


def _chunked(total: int) -> Iterator[bytes]:
    for piece in _plain(total):
        yield f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    yield b"0\r\n\r\n"


def test_a_body_announced_over_the_limit_is_refused_unread(server, var):
    headers = {
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        "Content-Length": str(2 * 1024 * MB),
    }
    with TempDirWatch(var / "tmp") as watch:
        started = time.monotonic()
        status, cache_control, page = _send(server.url, headers, _plain(40 * MB))
        answered_in = time.monotonic() - started
    assert status == 413
    assert "larger than the <strong>20 MB</strong> a request may carry" in page
    assert (cache_control, answered_in < 10) == ("no-store", True)
    assert watch.peak < MB


def test_a_chunked_body_is_refused_once_past_the_limit(server, var):
    headers = {
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        "Transfer-Encoding": "chunked",
    }
    with TempDirWatch(var / "tmp") as watch:
        status, _, page = _send(server.url, headers, _chunked(200 * MB))
    assert status == 413
    assert "20 MB" in page
    assert watch.peak <= LIMIT
    assert sum(p.stat().st_size for p in (var / "tmp").rglob("*") if p.is_file()) < MB


def test_a_chunked_body_under_the_limit_reaches_the_form(server):
    session = requests.Session()
    token = token_in(session.get(f"{server.url}/accounts/login/", timeout=10).text)
    form = f"csrfmiddlewaretoken={token}&username=analyst&password={PASSWORD}".encode()
    response = session.post(
        f"{server.url}/accounts/login/",
        data=iter([form[:10], form[10:]]),  # a generator: requests sends it chunked
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"{server.url}/accounts/login/",
        },
        allow_redirects=False,
        timeout=10,
    )
    assert (response.status_code, response.headers["Location"]) == (302, "/")


def test_a_body_within_the_limit_is_served_as_before(server):
    session = requests.Session()
    token = token_in(session.get(f"{server.url}/accounts/login/", timeout=10).text)
    response = session.post(
        f"{server.url}/accounts/login/",
        files={"file": ("small.csv", b"x" * (3 * MB))},
        data={"csrfmiddlewaretoken": token, "username": "analyst", "password": "wrong"},
        headers={"Referer": f"{server.url}/accounts/login/"},
        timeout=30,
    )
    assert response.status_code == 200  # the form again, saying the password was wrong


def test_the_limit_is_configurable(var):
    with dashboard_server(_env(var, DJANGO_MAX_REQUEST_BODY_MB="2"), workers=1) as server:
        login = f"{server.url}/accounts/login/"
        response = requests.post(login, data=b"x" * (2 * MB + 1), timeout=10)
        within = requests.post(login, data=b"x" * (2 * MB), timeout=10)
    assert response.status_code == 413
    assert "larger than the <strong>2 MB</strong>" in response.text
    assert within.status_code == 403  # read, and refused by the CSRF check as before
