"""resources.locks: one holder at a time across threads and processes; a waiter
gets the lock when it is freed, or LockTimeout when it is not freed in time."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from resources.locks import LockTimeout, write_lock

# Another process holds the lock file with flock, prints "held", then waits to be told or killed.
HOLDER = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.readline()
"""


@pytest.fixture
def lock_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path / "locks"


@pytest.fixture
def other_process(lock_dir):
    """other_process("name") → a process holding that lock until it ends."""
    started: list[subprocess.Popen[str]] = []

    def hold(name: str) -> subprocess.Popen[str]:
        lock_dir.mkdir(parents=True, exist_ok=True)
        process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(lock_dir / f"{name}.lock")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        assert process.stdout.readline() == "held\n"
        return process

    yield hold
    for process in started:
        process.kill()
        process.wait(timeout=5)


def test_the_lock_is_free_again_after_the_block(lock_dir):
    with write_lock("trackers", timeout=0.1):
        pass
    with write_lock("trackers", timeout=0.1):
        assert (lock_dir / "trackers.lock").exists()


def test_a_second_thread_times_out_while_the_first_holds_it(lock_dir):
    outcome: list[str] = []

    def second() -> None:
        try:
            with write_lock("trackers", timeout=0.2):
                outcome.append("acquired")
        except LockTimeout as error:
            outcome.append(f"timeout {error}")

    with write_lock("trackers", timeout=0.1):
        thread = threading.Thread(target=second)
        thread.start()
        thread.join(timeout=5)
    assert outcome == ["timeout trackers"]


def test_a_waiting_thread_gets_the_lock_once_it_is_released(lock_dir):
    events: list[str] = []
    waiting = threading.Event()

    def second() -> None:
        waiting.set()
        with write_lock("trackers", timeout=5):
            events.append("second holds")

    with write_lock("trackers", timeout=0.1):
        thread = threading.Thread(target=second)
        thread.start()
        waiting.wait(timeout=5)
        time.sleep(0.1)  # the second is now polling a lock it cannot have
        events.append("first releases")
    thread.join(timeout=5)
    assert events == ["first releases", "second holds"]


def test_another_process_holding_it_makes_us_time_out_after_the_timeout(other_process):
    other_process("trackers")
    started = time.monotonic()
    with pytest.raises(LockTimeout, match="^trackers$"), write_lock("trackers", timeout=0.3):
        pass
    assert time.monotonic() - started >= 0.3


def test_the_lock_comes_free_when_the_holding_process_dies(other_process):
    holder = other_process("trackers")
    holder.kill()  # no chance to unlock: the kernel releases the flock
    holder.wait(timeout=5)
    held = []
    with write_lock("trackers", timeout=2):
        held.append("trackers")
    assert held == ["trackers"]


def test_locks_with_different_names_do_not_contend(other_process):
    other_process("groups")
    held = []
    with write_lock("trackers", timeout=0.1):
        held.append("trackers")
    assert held == ["trackers"]
