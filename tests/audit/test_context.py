"""Request context: who, from where, and which request id (from symbl_admin.request_context)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from audit.context import AuditContext, client_ip
from symbl_admin.request_context import current_request_id


@pytest.mark.django_db
def test_context_from_request(make_user):
    request = RequestFactory().get("/", HTTP_USER_AGENT="Firefox", REMOTE_ADDR="10.0.0.9")
    request.user = make_user("ana", "Analyst")
    request.request_id = "abc"
    ctx = AuditContext.from_request(request, reason=" fix typo ")
    assert (ctx.username, ctx.request_id, ctx.ip, ctx.user_agent, ctx.reason) == (
        "ana",
        "abc",
        "10.0.0.9",
        "Firefox",
        "fix typo",
    )


def test_anonymous_request_has_no_actor():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    ctx = AuditContext.from_request(request)
    assert (ctx.actor, ctx.username) == (None, "")


def test_request_id_comes_from_the_request_context():
    token = current_request_id.set("rid-from-middleware")
    try:
        request = RequestFactory().get("/")
        request.user = AnonymousUser()
        assert AuditContext.from_request(request).request_id == "rid-from-middleware"
    finally:
        current_request_id.reset(token)


def test_system_context_outside_a_request_gets_a_fresh_request_id():
    first, second = AuditContext.system("cron"), AuditContext.system("cron")
    assert (first.username, len(first.request_id), first.request_id != second.request_id) == (
        "cron",
        32,
        True,
    )


def test_client_ip_ignores_forwarded_for_without_our_proxy(settings):
    settings.BEHIND_PROXY = False
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "10.0.0.9"


@pytest.mark.parametrize(
    "forwarded, expected", [("1.2.3.4", "1.2.3.4"), ("6.6.6.6, 1.2.3.4", "1.2.3.4")]
)
def test_client_ip_behind_our_proxy_is_the_address_it_saw(settings, forwarded, expected):
    settings.BEHIND_PROXY, settings.TRUSTED_PROXY_COUNT = True, 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_audit_never_imports_the_middleware():
    import pathlib

    import audit as audit

    sources = [p.read_text() for p in pathlib.Path(audit.__path__[0]).rglob("*.py")]
    assert [s for s in sources if "symbl_admin.middleware" in s] == []
