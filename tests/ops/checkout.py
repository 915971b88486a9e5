"""Test helpers: a fresh copy of this checkout, a clean environment, and servers in it.

    root = make_checkout(tmp_path)           # the tree without var/ and .git; its own .venv
    with serving("make run", root, url, PORT="8123") as server:  # answering url
        ...

The copy's .venv points at the interpreter running the tests (symlinks, install stamps newer
than pyproject.toml), so `make` never installs anything; it has no var/ until a command makes
one. clean_env() drops every DJANGO_*/SYMBL_* variable and the other knobs the README lists,
so commands run "with no variables set". Servers run in their own process group and are
stopped with it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP = (".git", ".venv", "var", "staticfiles", "__pycache__", "*.pyc", ".*_cache")
KNOBS = {
    "DATABASE_URL", "DATABASE_CONN_MAX_AGE", "DEMO_PASSWORD", "SEED_DEMO", "PORT", "API_PORT",
    "API_DATA", "LOG_LEVEL", "WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT",
    "PYTHONPATH", "VIRTUAL_ENV", "MAKEFLAGS", "MFLAGS", "MAKELEVEL",
}  # fmt: skip
START_SECONDS = 90.0  # a deadline, not a target: `make run` seeds demo conversations first (a loaded machine took over 30 s)
RUN_SECONDS = 60.0


def make_checkout(tmp_path: Path) -> Path:
    """A copy of the working tree at tmp_path/checkout, with a .venv that installs nothing."""
    assert sys.prefix != sys.base_prefix, "the tests run from the project's venv"
    root = tmp_path / "checkout"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns(*SKIP), symlinks=True)
    venv, real = root / ".venv", Path(sys.prefix)
    (venv / "bin").mkdir(parents=True)
    shutil.copy(real / "pyvenv.cfg", venv / "pyvenv.cfg")
    (venv / "lib").symlink_to(real / "lib")
    (venv / "bin" / "python").symlink_to(sys.executable)
    for tool in ("gunicorn", "ruff", "pip-compile"):
        (venv / "bin" / tool).symlink_to(real / "bin" / tool)
    for stamp in (".installed", ".installed-dev"):
        (venv / stamp).touch()
    return root


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without the project's variables, plus `extra`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SYMBL_", "PYTEST_", "AUDIT_")) and key not in KNOBS
    }
    return {**env, "PYTHONUNBUFFERED": "1", **extra}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(command: str, root: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    """Run one shell command line in `root`; output and errors together in .stdout. Its whole
    process group is killed if it takes over a minute."""
    process = subprocess.Popen(
        ["bash", "-c", command],
        cwd=root,
        env=clean_env(**extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=RUN_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
    return subprocess.CompletedProcess(command, process.returncode, output)


def get(url: str) -> tuple[int, str]:
    """(status, body) of a GET; (0, reason) when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode()
    except OSError as error:
        return 0, str(error)


class Serving:
    """A server started by a command line; .output() is what it printed so far."""

    def __init__(self, command: str, root: Path, log: Path, extra: dict[str, str]) -> None:
        self.log = log
        with log.open("w") as sink:
            self.process = subprocess.Popen(
                ["bash", "-c", command],
                cwd=root,
                env=clean_env(**extra),
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_until_answers(self, url: str) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline and self.process.poll() is None:
            if get(url)[0]:
                return
            time.sleep(0.1)
        raise AssertionError(f"nothing answered {url}; the command printed:\n{self.output()}")

    def stop(self) -> None:
        for signum, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signum)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=wait)
                return


@contextlib.contextmanager
def serving(command: str, root: Path, url: str, **extra: str) -> Iterator[Serving]:
    """Start `command` in `root`, wait until `url` answers HTTP, yield it, stop its group."""
    log = root.parent / f"serving-{time.monotonic_ns()}.log"
    server = Serving(command, root, log, extra)
    try:
        server.wait_until_answers(url)
        yield server
    finally:
        server.stop()
