"""Worker death on PostgreSQL: a process SIGKILLed while holding the advisory write lock does
not block the next writer for more than 2 s (the server ends its session and the lock)."""

from __future__ import annotations

from tests.core.test_lock_worker_death import MAX_BLOCK_SECONDS, seconds_blocked_after_sigkill
from tests.postgres.conftest import POSTGRES
from tests.support.dashboard import django_env

pytestmark = POSTGRES


def test_a_sigkilled_advisory_lock_holder_blocks_the_next_writer_under_2s(
    new_database, tmp_path, figure
):
    env = django_env(new_database("lockdeath"), tmp_path / "var")
    blocked = seconds_blocked_after_sigkill(env)
    figure(
        "worker death", f"advisory lock: the next writer waited {blocked:.3f} s after the SIGKILL"
    )
    assert blocked < MAX_BLOCK_SECONDS
