"""The servers `make bench` measures, each a real gunicorn process group on loopback.

    with Stack(tmp) as stack:
        api = stack.start("api", argv, env, ready="/v1/manage/trackers")
        ...

Every server's output goes to a log file in the run's folder (named in any error); stop()
ends each whole process group. Worker processes are found through /proc for the memory
figures (RSS and its peak, which Linux lets us reset: /proc/PID/clear_refs).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_argv(app: str, port: int, *, workers: int, threads: int) -> list[str]:
    """The options `make run` serves the dashboard with (scripts/run.py), for any WSGI app."""
    return [
        GUNICORN,
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        "60",
        "--no-control-socket",
    ]


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen
    log: Path

    def workers(self) -> list[int]:
        """The pids of gunicorn's worker processes (the master's children)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def tail(self, lines: int = 30) -> str:
        return "".join(self.log.read_text(errors="replace").splitlines(True)[-lines:])


def status_kb(pid: int, key: str) -> int:
    """A VmRSS/VmHWM figure of one process, in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


def reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def peaks_reset(server: Server) -> dict[int, int]:
    """Each worker's peak RSS set back to now; their RSS now, in kB (what a peak grows from)."""
    before = {}
    for pid in server.workers():
        reset_peak(pid)
        before[pid] = status_kb(pid, "VmRSS")
    return before


@dataclass
class Stack:
    folder: Path
    servers: list[Server] = field(default_factory=list)

    def __enter__(self) -> Stack:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(
        self, name: str, argv: list[str], env: dict[str, str], *, port: int, ready: str
    ) -> Server:
        """Start argv (which binds `port`) and wait until GET `ready` answers (any status)."""
        log = self.folder / f"{name}.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                argv,
                env=env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = Server(name, f"http://127.0.0.1:{port}", process, log)
        self.servers.append(server)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited ({process.returncode}):\n{server.tail()}")
            try:
                with urllib.request.urlopen(server.url + ready, timeout=2):  # noqa: S310
                    break
            except urllib.error.HTTPError as error:
                error.close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"{name} did not answer within 60 s:\n{server.tail()}")
        return server

    def stop(self) -> None:
        for server in self.servers:
            if server.process.poll() is None:
                os.killpg(server.process.pid, signal.SIGTERM)
        for server in self.servers:
            try:
                server.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.process.pid, signal.SIGKILL)
                server.process.wait()
        self.servers.clear()
