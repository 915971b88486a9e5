"""Shared fixtures: one signed-in test client per role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from symbl_admin.accounts.roles import ADMIN, ANALYST, AUDITOR, TEAM_LEAD

ROLES = {"analyst": ANALYST, "lead": TEAM_LEAD, "auditor": AUDITOR, "admin": ADMIN}


@pytest.fixture
def make_user(django_user_model):
    def make(username: str, role: str | None = None, **extra):
        user = django_user_model.objects.create_user(
            username=username, password="pw-for-tests-1", **extra
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def role_client(make_user, client):
    """role_client("analyst") → a Django test client signed in as a user with that role."""

    from django.test import Client

    clients: dict[str, Client] = {}

    def for_role(key: str) -> Client:
        if key in clients:
            return clients[key]
        extra = {"is_staff": True, "is_superuser": True} if key == "admin" else {}
        user = make_user(f"{key}-user", ROLES[key], **extra)
        c = Client()
        c.force_login(user)
        clients[key] = c
        return c

    return for_role


@pytest.fixture
def api(settings, tmp_path):
    """The dashboard's own Management API client, on a fresh, empty embedded account."""
    from symbl_admin.local_api.embedded import forget
    from symbl_admin.management_api import get_client

    settings.SYMBL_API_BASE_URL = ""
    settings.SYMBL_LOCAL_API_DATA = str(tmp_path / "management-api.sqlite3")
    yield get_client()
    # Each account's server keeps SQLite connections open; a long session of tests would
    # otherwise pile up file descriptors.
    forget(settings.SYMBL_LOCAL_API_DATA)


def pytest_terminal_summary(terminalreporter) -> None:
    """A banner nobody misses when the PostgreSQL group was skipped (tests/postgres)."""
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if "POSTGRESQL TESTS SKIPPED" in str(report.longrepr)
    ]
    if skipped:
        reason = str(skipped[0].longrepr[-1]) if isinstance(skipped[0].longrepr, tuple) else ""
        terminalreporter.write_sep("!", f"{len(skipped)} POSTGRESQL TESTS SKIPPED", red=True)
        terminalreporter.write_line(reason)
        terminalreporter.write_line(
            "Install Debian's `postgresql` package (.ci/run does) to run them; "
            "SYMBL_REQUIRE_POSTGRES=1 turns this skip into a failure."
        )
