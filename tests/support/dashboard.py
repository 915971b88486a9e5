"""Test helper: the dashboard as a real gunicorn instance, and a signed-in browser-less user.

    with dashboard_server(env, tmp_path / "a") as a:     # gunicorn on 127.0.0.1:<free port>
        user = DashboardUser(a.url); user.sign_in("analyst", password)
        user.post_form("/trackers/new/", {"name": ..., "phrases": ...})

Each instance gets its own SYMBL_VAR_DIR (its own file cache and lock files), as a second host
would: whatever two instances share, they share through the database. The instance's log
(stdout and stderr) goes to `<var>/server.log`; `management_api_calls()` parses the client's
one JSON line per upstream call from it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from benchmarks.stack import gunicorn_argv
from tests.support.csrf import token_in
from tests.support.postgres import free_port

PROJECT_DIR = Path(__file__).resolve().parents[2]
SECRET = "dashboard-instances-test-secret-" + "s" * 32
START_TIMEOUT_SECONDS = 30.0


def django_env(database_url: str, var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a dashboard process (gunicorn or manage.py) on this database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SYMBL_", "DJANGO_", "PYTEST_"))
    }
    var_dir.mkdir(parents=True, exist_ok=True)
    env.update(
        DJANGO_SETTINGS_MODULE="symbl_admin.settings",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_HTTPS="0",
        SYMBL_PLAIN_STATIC="1",
        SYMBL_VAR_DIR=str(var_dir),
        DATABASE_URL=database_url,
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def manage(env: Mapping[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run `manage.py <args>` in that environment; output captured."""
    return subprocess.run(  # noqa: S603
        [sys.executable, str(PROJECT_DIR / "manage.py"), *args],
        cwd=PROJECT_DIR,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=120,
        check=check,
    )


@dataclass
class DashboardServer:
    url: str
    log_path: Path
    process: subprocess.Popen

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def management_api_calls(self) -> list[dict[str, Any]]:
        """The client's log lines, one per upstream call: method, path, status, tries."""
        calls = []
        for line in self.log().splitlines():
            start = line.find('{"event": "management_api"')
            if start >= 0:
                calls.append(json.loads(line[start:]))
        return calls


@contextlib.contextmanager
def dashboard_server(
    env: Mapping[str, str], *, workers: int = 2, threads: int = 4
) -> Iterator[DashboardServer]:
    """gunicorn serving the dashboard in its own process group; stopped (the whole group)
    afterwards."""
    port = free_port()
    log_path = Path(env["SYMBL_VAR_DIR"]) / "server.log"
    # The bench's gunicorn command line (`make run`'s options), with a short graceful stop.
    command = gunicorn_argv("symbl_admin.wsgi:application", port, workers=workers, threads=threads)
    command += ["--graceful-timeout", "3"]
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603
            command,
            cwd=PROJECT_DIR,
            env=dict(env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = DashboardServer(f"http://127.0.0.1:{port}", log_path, process)
    try:
        _wait_until_healthy(server)
        yield server
    finally:
        _stop(process)


def _wait_until_healthy(server: DashboardServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline and server.process.poll() is None:
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{server.url}/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError("The dashboard did not start:\n" + server.log()[-3000:])


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


class DashboardUser:
    """One person's browser session on an instance: cookies and the CSRF token."""

    def __init__(self, base_url: str, session: requests.Session | None = None) -> None:
        self.base_url = base_url
        self.session = session or requests.Session()

    def on(self, base_url: str) -> DashboardUser:
        """The same cookies (the same signed-in session) against another instance."""
        other = DashboardUser(base_url)
        other.session.cookies.update(self.session.cookies)
        return other

    def get(self, path: str) -> requests.Response:
        return self.session.get(self.base_url + path, timeout=30, allow_redirects=False)

    def post_form(self, path: str, data: dict[str, str]) -> requests.Response:
        # The token of the page a person would submit from (its form or its <body>).
        page = self.session.get(self.base_url + path, timeout=30, allow_redirects=False)
        token = token_in(page.text) or token_in(
            self.session.get(self.base_url + "/accounts/login/", timeout=30).text
        )
        return self.session.post(
            self.base_url + path,
            data={**data, "csrfmiddlewaretoken": token},
            headers={"Referer": self.base_url + path},
            timeout=60,
            allow_redirects=False,
        )

    def sign_in(self, username: str, password: str) -> requests.Response:
        return self.post_form("/accounts/login/", {"username": username, "password": password})
