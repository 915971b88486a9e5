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
        pytest.fail("Chromium is missing: apt-get install -y chromium (.ci/run does this).")
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


@pytest.fixture(autouse=True)
def _audit_triggers_around_flush(request):
    """Browser tests need real transactions (the live server runs in another thread), and
    pytest-django empties the tables after each one; the audit log's triggers refuse exactly
    that. Lift them only for the flush and put them back for the next test."""
    if "transactional_db" not in request.fixturenames and "live_server" not in request.fixturenames:
        yield
        return
    import importlib

    from django.db import connection

    migration = importlib.import_module("symbl_admin.audit.migrations.0002_append_only_triggers")
    request.getfixturevalue("transactional_db")
    with connection.cursor() as cursor:
        for sql in migration.SQLITE_DROP + migration.SQLITE_CREATE:
            cursor.execute(sql)
    # The flush also empties what data migrations made: the roles and their permissions.
    from django.apps import apps

    roles = importlib.import_module("symbl_admin.accounts.migrations.0002_roles")
    roles.create_roles(apps, None)
    yield
    with connection.cursor() as cursor:
        for sql in migration.SQLITE_DROP:
            cursor.execute(sql)
