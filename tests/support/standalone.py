"""Test helper: a standalone local Management API server in its own process group.

    with standalone_server(tmp_path / "api.sqlite3") as base_url:
        ...  # real HTTP against http://127.0.0.1:<free port>

Starts `python manage.py run_management_api` in its own process group on a free port, waits
until it answers HTTP, yields the base URL, and stops the whole group afterwards. Used by the
local API's tests and the client's tests.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

from local_api.management.commands.run_management_api import LISTENING

PROJECT_DIR = Path(__file__).resolve().parents[2]
START_TIMEOUT_SECONDS = 30.0


class ServerFailedToStart(RuntimeError):
    """The standalone server exited or did not answer in time; carries its output."""


def _pump(stream, lines: queue.Queue[str], log: list[str]) -> None:
    # Keep reading so the server never blocks on a full pipe; remember everything for errors.
    for line in stream:
        log.append(line)
        lines.put(line)
    lines.put("")


def _answers(base_url: str) -> bool:
    # Close every response at once: gunicorn lingers up to 2 s on a closed connection until
    # the client closes its side too, and that would delay the server's shutdown.
    try:
        with urllib.request.urlopen(f"{base_url}/v1/manage/trackers", timeout=2):  # noqa: S310
            return True
    except urllib.error.HTTPError as error:
        error.close()
        return True  # 401 without a token: it is up
    except OSError:
        return False


class StandaloneServer:
    """One `run_management_api` process group; `start()` returns its base URL."""

    def __init__(
        self,
        data_path: str | os.PathLike[str],
        *,
        env: Mapping[str, str] | None = None,
        port: int = 0,
        args: tuple[str, ...] = (),
    ) -> None:
        self.data_path = os.fspath(data_path)
        self.env = dict(env or {})
        self.port = port
        self.args = tuple(args)
        self.process: subprocess.Popen[str] | None = None
        self.url = ""
        self.output: list[str] = []

    def start(self) -> str:
        """Start the server and wait until it answers HTTP.

        Raises:
            ServerFailedToStart: it exited early or did not answer within 30 s.
        """
        child_env = {**os.environ, **self.env}
        child_env.setdefault("DJANGO_SETTINGS_MODULE", "symbl_admin.settings")
        # The API server never uses Django's secret; a throwaway one lets settings load.
        child_env.setdefault("DJANGO_SECRET_KEY", "standalone-management-api-test-only")
        child_env.setdefault("DJANGO_HTTPS", "0")
        child_env["PYTHONUNBUFFERED"] = "1"
        command = [
            sys.executable,
            str(PROJECT_DIR / "manage.py"),
            "run_management_api",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--data",
            self.data_path,
            *self.args,
        ]
        self.output = []
        self.process = subprocess.Popen(  # noqa: S603
            command,
            cwd=PROJECT_DIR,
            env=child_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(
            target=_pump, args=(self.process.stdout, lines, self.output), daemon=True
        ).start()
        self.url = self._wait_until_ready(lines)
        return self.url

    def _wait_until_ready(self, lines: queue.Queue[str]) -> str:
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        base_url = ""
        while not base_url:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                line = lines.get(timeout=remaining)
            except queue.Empty:
                break
            if not line:  # output closed: the process ended
                break
            if line.startswith(LISTENING):
                base_url = line[len(LISTENING) :].strip()
        while base_url and time.monotonic() < deadline and self.process.poll() is None:
            if _answers(base_url):
                return base_url
            time.sleep(0.05)
        self.stop()
        raise ServerFailedToStart(
            "The standalone Management API did not start:\n" + "".join(self.output[-40:])
        )

    def stop(self) -> None:
        """Stop the whole process group gracefully (SIGTERM; SIGKILL if still there after 10 s)."""
        self._signal(signal.SIGTERM, wait=10)

    def kill(self) -> None:
        """SIGKILL the whole process group at once: no chance to flush or clean up."""
        self._signal(signal.SIGKILL, wait=5)

    def _signal(self, signum: int, *, wait: float) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@contextlib.contextmanager
def standalone_server(
    data_path: str | os.PathLike[str],
    *,
    env: Mapping[str, str] | None = None,
    port: int = 0,
    args: tuple[str, ...] = (),
) -> Iterator[str]:
    """Run the standalone Management API on data_path; yields its base URL, then stops it.

    `env` is added to this process's environment (e.g. SYMBL_FAULT_* or SYMBL_APP_ID);
    `args` are extra command flags (e.g. ("--workers", "2")).

    Raises:
        ServerFailedToStart: it exited early or did not answer within 30 s.
    """
    server = StandaloneServer(data_path, env=env, port=port, args=args)
    try:
        yield server.start()
    finally:
        server.stop()
