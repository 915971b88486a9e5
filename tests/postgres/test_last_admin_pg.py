"""The last-admin rule on PostgreSQL: two admins demoting each other at the same moment, in
two processes, leave one admin (the second waits for the first's row locks, then counts
again and is refused)."""

from __future__ import annotations

import subprocess
import sys
import time

import psycopg
import pytest

from tests.postgres.conftest import POSTGRES
from tests.support.dashboard import PROJECT_DIR, django_env, manage

pytestmark = POSTGRES

SETUP = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
for name in ("alpha", "beta"):
    user = get_user_model().objects.create_user(name, password="a-long-password-1")
    user.groups.add(Group.objects.get(name="Admin"))
"""

# The first demotion stops after taking the admins' row locks, until told to go on.
FIRST = """
import sys
from django.contrib.auth import get_user_model
from accounts import users
from audit.context import AuditContext
real = users._set_role
def held(user, role):
    print("locked", flush=True)
    sys.stdin.readline()
    real(user, role)
users._set_role = held
alpha = get_user_model().objects.get(username="alpha")
users.user_set_role(ctx=AuditContext.system("one"), user=alpha, role="Analyst")
print("demoted", flush=True)
"""

SECOND = """
from django.contrib.auth import get_user_model
from accounts import users
from audit.context import AuditContext
beta = get_user_model().objects.get(username="beta")
try:
    users.user_set_role(ctx=AuditContext.system("two"), user=beta, role="Analyst")
    print("demoted", flush=True)
except users.LastAdminError:
    print("refused", flush=True)
"""


def _shell(env, code: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, str(PROJECT_DIR / "manage.py"), "shell", "-v", "0", "-c", code],
        cwd=PROJECT_DIR,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def two_admins(new_database, tmp_path):
    url = new_database("admins")
    env = django_env(url, tmp_path / "var")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "shell", "-v", "0", "-c", SETUP)
    return url, env


def test_two_admins_demoting_each_other_at_once_leave_one_admin(two_admins):
    url, env = two_admins
    first = _shell(env, FIRST)
    second = None
    try:
        assert first.stdout.readline().strip() == "locked", first.stderr.read()
        second = _shell(env, SECOND)
        time.sleep(2.0)  # the second is now waiting for the first's row locks
        assert second.poll() is None, second.stderr.read()
        first.stdin.write("\n")
        first.stdin.flush()
        first_said = first.stdout.readline().strip()
        second_out, second_err = second.communicate(timeout=60)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
    assert first_said == "demoted"
    assert second_out.strip() == "refused", second_err[-2000:]
    with psycopg.connect(url) as conn:
        admins = conn.execute(
            "SELECT u.username FROM auth_user u JOIN auth_user_groups ug ON ug.user_id = u.id "
            "JOIN auth_group g ON g.id = ug.group_id WHERE g.name = 'Admin'"
        ).fetchall()
    assert admins == [("beta",)]
