"""The sign-in throttle on PostgreSQL: failed sign-ins on two instances at the same moment
are all counted (the database cache's incr alone is a read then a write, and loses some)."""

from __future__ import annotations

from tests.postgres.conftest import POSTGRES
from tests.support.dashboard import django_env, manage
from tests.support.throttle_race import race

pytestmark = POSTGRES

PROCESSES, TRIES = 2, 60


def test_concurrent_failed_sign_ins_on_two_instances_are_all_counted(
    new_database, tmp_path, figure
):
    url = new_database("throttle")
    envs = [django_env(url, tmp_path / f"host-{n}") for n in range(PROCESSES)]  # own var/ each
    manage(envs[0], "migrate", "--noinput", "-v", "0")
    counted = race(envs, tries=TRIES)
    figure(
        "sign-in throttle",
        f"PostgreSQL: {counted['user']} of {PROCESSES * (TRIES + 1)} concurrent failures "
        "counted for one username",
    )
    assert counted == {"user": PROCESSES * (TRIES + 1), "ip": [TRIES + 1] * PROCESSES}
