"""Shared fixtures (one signed-in test client per role, `figure`), the suite-wide secrets
watch (tests/support/secrets_watch.py) and the run's closing sections: the figures the tests
recorded (tests/support/figures.py) and a banner when the PostgreSQL group was skipped."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from accounts.roles import ADMIN, ANALYST, AUDITOR, TEAM_LEAD
from tests.support import figures, secrets_watch

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


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts without the values an earlier one kept (symbl_admin/caching)."""
    from symbl_admin.caching.store import clear_all

    clear_all()


@pytest.fixture
def api(settings, tmp_path):
    """The dashboard's own Management API client, on a fresh, empty embedded account."""
    from local_api.embedded import forget
    from symbl_admin.management_api import get_client

    settings.SYMBL_API_BASE_URL = ""
    settings.SYMBL_LOCAL_API_DATA = str(tmp_path / "management-api.sqlite3")
    yield get_client()
    # Each account's server keeps SQLite connections open; a long session of tests would
    # otherwise pile up file descriptors.
    forget(settings.SYMBL_LOCAL_API_DATA)


@pytest.fixture
def figure(record_property) -> figures.Figures:
    """figure(topic, text) / figure.count(topic, **counts): printed in the run's "figures"."""
    return figures.Figures(record_property)


def pytest_configure(config) -> None:
    config.pluginmanager.register(secrets_watch.Plugin(), "secrets-watch")
    config.stash[WATCH_TOTALS] = {}
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_WorkerTotals(), "secrets-watch-totals")


WATCH_TOTALS = pytest.StashKey[dict]()


class _WorkerTotals:
    """On the xdist controller: each worker's secrets-watch totals, as it finishes."""

    def pytest_testnodedown(self, node, error) -> None:
        totals = node.config.stash[WATCH_TOTALS]
        figures.merge_watch(totals, getattr(node, "workeroutput", {}).get("secrets_watch"))


def pytest_terminal_summary(terminalreporter, config) -> None:
    _print_figures(terminalreporter, config)
    _postgres_banner(terminalreporter)


def _print_figures(terminalreporter, config) -> None:
    reports = [r for group in terminalreporter.stats.values() for r in group]
    texts, counts = figures.collect(r for r in reports if hasattr(r, "nodeid"))
    watch = config.stash[WATCH_TOTALS]
    if not watch:  # no workers: this process ran the tests itself
        watch_totals = secrets_watch.WATCH.totals
        figures.merge_watch(watch, {**watch_totals, "values": sorted(secrets_watch.WATCH.hashes)})
    found = figures.lines(texts, counts, watch)
    if found:
        terminalreporter.write_sep("=", "figures")
        for line in found:
            terminalreporter.write_line(line)


def _postgres_banner(terminalreporter) -> None:
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
