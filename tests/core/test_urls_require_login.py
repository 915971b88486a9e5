"""Every page but login and the health probes redirects anonymous users to sign in."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {"login", "healthz", "readyz", "favicon"}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith("admin/"):
                continue  # Django's admin has its own login screen, tested below.
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield p.name, prefix + str(p.pattern)


def _concrete(route: str) -> str:
    path = re.sub(r"<(?:\w+:)?(\w+)>", "1234567890123456", route)
    path = re.sub(r"[\^\$]", "", path)
    return "/" + path


ALL_ROUTES = sorted(
    {(name, _concrete(route)) for name, route in _walk(get_resolver().url_patterns)}
)
ROUTES = [(name, path) for name, path in ALL_ROUTES if name not in PUBLIC]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path"), [r for r in ALL_ROUTES if r[0] in PUBLIC])
def test_only_login_probes_and_icon_are_public(client, name, path):
    # Answered to an anonymous visitor: the page itself, or (the icon) a redirect to its file.
    response = client.get(path)
    expected = (301, "/static/img/favicon.svg") if name == "favicon" else (200, None)
    assert (response.status_code, response.get("Location")) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path"), ROUTES, ids=[r[1] for r in ROUTES])
def test_anonymous_is_sent_to_login(client, name, path):
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 302, (method, path)
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_admin_site_requires_staff_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
