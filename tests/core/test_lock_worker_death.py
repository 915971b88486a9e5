"""Worker death: a process SIGKILLed while it holds the write lock (resources.locks)
does not block the next writer, already waiting in another process, for more than 2 s.

Both sides run the product's `write_lock` in their own Django process (manage.py shell), as
two gunicorn workers would; tests/postgres/test_lock_worker_death_pg.py runs the same on the
PostgreSQL advisory lock.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from tests.support.dashboard import PROJECT_DIR, django_env

MAX_BLOCK_SECONDS = 2.0

HOLDER = """
import time
from resources.locks import write_lock
with write_lock("trackers", timeout=5):
    print("held", flush=True)
    time.sleep(600)
"""

# Proves it is blocked first (a zero-wait try times out), then waits and prints the wall
# time it got the lock.
NEXT_WRITER = """
import time
from resources.locks import LockTimeout, write_lock
try:
    with write_lock("trackers", timeout=0):
        print("not blocked", flush=True)
except LockTimeout:
    print("blocked", flush=True)
    with write_lock("trackers", timeout=10):
        print(repr(time.time()), flush=True)
"""


def shell(env, code: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, str(PROJECT_DIR / "manage.py"), "shell", "-v", "0", "-c", code],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def seconds_blocked_after_sigkill(env) -> float:
    """SIGKILL a lock holder while another writer waits; how long that writer still waited."""
    holder = shell(env, HOLDER)
    writer = None
    try:
        assert holder.stdout.readline().strip() == "held", holder.stderr.read()
        writer = shell(env, NEXT_WRITER)
        assert writer.stdout.readline().strip() == "blocked", writer.stderr.read()
        killed_at = time.time()
        os.kill(holder.pid, signal.SIGKILL)
        acquired = writer.stdout.readline().strip()
        assert acquired, writer.stderr.read()
        assert holder.wait(timeout=10) == -signal.SIGKILL
        return float(acquired) - killed_at
    finally:
        for process in (holder, writer):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(timeout=10)


def test_a_sigkilled_lock_holder_blocks_the_next_writer_under_2s(tmp_path, figure):
    env = django_env(f"sqlite:///{tmp_path / 'dashboard.sqlite3'}", tmp_path / "var")
    blocked = seconds_blocked_after_sigkill(env)
    figure("worker death", f"file lock: the next writer waited {blocked:.3f} s after the SIGKILL")
    assert blocked < MAX_BLOCK_SECONDS
