"""The sign-in throttle's counters: every failure counts, also when several gunicorn workers
on one host (SQLite: the shared file cache) fail sign-ins at the same moment. PostgreSQL, with
two instances: tests/postgres/test_login_throttle_pg.py."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from accounts import signin_limits, throttle
from tests.support.dashboard import django_env, manage
from tests.support.throttle_race import race

PROCESSES, TRIES = 2, 60


@pytest.fixture(autouse=True)
def _clear():
    cache.clear()
    yield
    cache.clear()


def test_each_failure_adds_one_and_restarts_the_window(monkeypatch):
    seen = []
    monkeypatch.setattr(cache, "set", lambda key, value, timeout: seen.append((value, timeout)))
    monkeypatch.setattr(cache, "get", lambda key, default=None: (3, 100.0))
    assert throttle.add_failure("login-fail:user:x", now=200.0) == 4
    assert seen == [((4, 200.0), throttle.WINDOW_SECONDS)]


def test_the_window_outlasts_the_longest_wait():
    assert throttle.WINDOW_SECONDS > signin_limits.MAX_WAIT


def test_a_count_kept_by_the_old_code_still_reads():
    cache.set("login-fail:user:z", 3)
    assert throttle.failures("login-fail:user:z") == (3, 0.0)


def test_a_reset_forgets_the_count():
    throttle.add_failure("login-fail:user:y")
    throttle.reset("login-fail:user:y")
    assert throttle.failures("login-fail:user:y") == (0, 0.0)


def test_concurrent_failed_sign_ins_in_two_workers_are_all_counted(tmp_path, figure):
    env = django_env(f"sqlite:///{tmp_path / 'dashboard.sqlite3'}", tmp_path / "var")
    manage(env, "migrate", "--noinput", "-v", "0")
    counted = race([env] * PROCESSES, tries=TRIES)  # one var/: one file cache, as one host
    figure(
        "sign-in throttle",
        f"SQLite: {counted['user']} of {PROCESSES * (TRIES + 1)} concurrent failures "
        "counted for one username",
    )
    assert counted == {"user": PROCESSES * (TRIES + 1), "ip": [TRIES + 1] * PROCESSES}
