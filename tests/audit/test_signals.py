"""Sign-in events are recorded; no password, token or secret reaches any stored field."""

import pytest
from django.conf import settings
from django.core.cache import cache

from audit.models import AuditEntry
from audit.services import audited

from .conftest import TRACKER_AFTER, TRACKER_BEFORE

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-1"
WRONG = "Wrong-Passw0rd-typed-by-accident"


@pytest.fixture(autouse=True)
def _no_throttle():
    cache.clear()


def test_login_is_recorded(client, make_user):
    make_user("ana", "Analyst")
    client.post("/accounts/login/", {"username": "ana", "password": PASSWORD})
    entry = AuditEntry.objects.get(action="login")
    assert (entry.actor_username, entry.outcome, entry.ip) == ("ana", "success", "127.0.0.1")


def test_logout_is_recorded(client, make_user):
    client.force_login(make_user("ana", "Analyst"))
    client.post("/accounts/logout/")
    assert AuditEntry.objects.filter(action="logout", actor_username="ana").count() == 1


def test_failed_login_keeps_the_attempted_username_only(client, make_user):
    make_user("ana", "Analyst")
    client.post("/accounts/login/", {"username": "ana", "password": WRONG})
    entry = AuditEntry.objects.get(action="login_failed")
    assert (entry.actor_username, entry.actor_id, entry.outcome) == ("ana", None, "failed")


def test_no_secret_in_any_stored_field(client, make_user, ctx):
    make_user("ana", "Analyst")
    client.post("/accounts/login/", {"username": "ana", "password": WRONG})
    client.post("/accounts/login/", {"username": "ana", "password": PASSWORD})
    session_key = client.session.session_key
    client.get("/audit/")  # a permission denial
    with audited(
        ctx=ctx,
        action="update",
        object_type="tracker",
        object_id="101",
        before=TRACKER_BEFORE,
        after=TRACKER_AFTER,
    ) as audit:
        audit.succeed(after=TRACKER_AFTER)
    client.post("/accounts/logout/")
    secrets = [PASSWORD, WRONG, settings.SECRET_KEY, session_key]
    if settings.SYMBL_APP_SECRET:
        secrets.append(settings.SYMBL_APP_SECRET)
    rows = list(AuditEntry.objects.values())
    assert {r["action"] for r in rows} >= {
        "login",
        "login_failed",
        "logout",
        "permission_denied",
        "update",
    }
    stored = repr(rows)
    assert [s for s in secrets if s in stored] == []
    assert "*****" not in stored  # not even Django's masked copy of the password
