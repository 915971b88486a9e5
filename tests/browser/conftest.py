"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            "Chromium is missing: apt-get install -y chromium (make test does this as root)."
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def login(live_server, make_user):
    """login(page, role_key) signs a fresh user with that role in through the real form."""
    from tests.conftest import ROLES

    def sign_in(page, key: str, username: str | None = None):
        username = username or f"{key}-browser"
        extra = {"is_staff": True, "is_superuser": True} if key == "admin" else {}
        make_user(username, ROLES[key], **extra)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill("pw-for-tests-1")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return sign_in


# ---------------------------------------------------------------- database between tests
#
# The live server runs in another thread, so browser tests need real transactions, and
# pytest-django empties every table after each one. Two things in this project do not
# survive that as they are: the audit log's triggers refuse the DELETE (append-only by design),
# and the roles, made by a data migration, would be gone for the next test.


def _audit_triggers(connection) -> tuple[list[str], list[str]]:
    """(drop, create) statements of the audit log's append-only triggers for this database."""
    import importlib

    migration = importlib.import_module("audit.migrations.0002_append_only_triggers")
    if connection.vendor == "postgresql":
        return migration.POSTGRES_DROP, migration.POSTGRES_CREATE
    return migration.SQLITE_DROP, migration.SQLITE_CREATE


@pytest.fixture(autouse=True)
def _audit_log_flushable(transactional_db):
    """Lift the audit triggers just before pytest-django's flush (this teardown runs first)."""
    yield
    from django.db import connection

    drop, _ = _audit_triggers(connection)
    with connection.cursor() as cursor:
        for sql in drop:
            cursor.execute(sql, None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After the flush: the database as migrations left it (triggers on, roles present), so a
    later test in this process, browser or not, sees what it would see on a fresh database."""
    try:
        return (yield)
    finally:
        # After the last test the session's teardown has already removed the test database.
        if "transactional_db" in item.fixturenames and nextitem is not None:
            _restore_migrated_state(item)


def _restore_migrated_state(item) -> None:
    import importlib

    from django.apps import apps
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    drop, create = _audit_triggers(connection)
    with item.config.stash[blocking_manager_key].unblock():
        with connection.cursor() as cursor:
            for sql in drop + create:
                cursor.execute(sql, None)
        importlib.import_module("accounts.migrations.0002_roles").create_roles(apps, None)


# ---------------------------------------------------------------- shared fixtures


@pytest.fixture(autouse=True)
def account(api):
    """A fresh, empty Management API account, set up before the browser reaches the server."""
    return api


@pytest.fixture
def problems(context):
    from tests.browser.support import watch

    found = watch(context)
    yield found
    assert found == [], "the browser reported problems"


@pytest.fixture
def url(live_server):
    return lambda path: f"{live_server.url}{path}"
