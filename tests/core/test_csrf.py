"""CSRF protects every write, htmx requests included (they send X-CSRFToken from <body>)."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict(make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("csrf-analyst", "Analyst"))
    return client


def _token(client) -> str:
    page = client.get("/trackers/new/").content.decode()
    return re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)


def test_htmx_post_without_token_is_refused(strict, api):
    response = strict.post("/trackers/new/", {"name": "A", "phrases": "x"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert api.trackers.find_by_name("A") is None


def test_htmx_post_with_header_token_from_body_is_accepted(strict, api):
    token = _token(strict)
    response = strict.post(
        "/trackers/new/",
        {"name": "A", "phrases": "x"},
        HTTP_HX_REQUEST="true",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200
    created = api.trackers.find_by_name("A")
    assert response["HX-Redirect"] == f"/trackers/{created.id}/"
    assert (created.name, created.vocabulary) == ("A", ("x",))


def test_plain_form_post_without_token_is_refused(strict, api):
    assert strict.post("/trackers/new/", {"name": "A", "phrases": "x"}).status_code == 403


def test_no_page_sets_a_csrf_cookie_and_the_page_token_is_what_works(make_user, api):
    """The CSRF secret is in the session (settings.CSRF_USE_SESSIONS): pages send no
    Set-Cookie of their own, and the token a page shows is the one a write needs."""
    from tests.support.csrf import token_in

    make_user("ana", "Analyst")
    strict = Client(enforce_csrf_checks=True)
    login = strict.get("/accounts/login/")
    assert "csrftoken" not in login.cookies
    before = token_in(login.content.decode())
    answer = strict.post(
        "/accounts/login/",
        {"username": "ana", "password": "pw-for-tests-1", "csrfmiddlewaretoken": before},
    )
    assert answer.status_code == 302
    page = strict.get("/trackers/new/")
    assert "csrftoken" not in page.cookies
    # Signing in rotated the secret: the token from before no longer writes.
    stale = strict.post(
        "/trackers/new/", {"name": "A", "phrases": "x", "csrfmiddlewaretoken": before}
    )
    assert stale.status_code == 403 and api.trackers.find_by_name("A") is None
    fresh = strict.post(
        "/trackers/new/",
        {"name": "A", "phrases": "x", "csrfmiddlewaretoken": token_in(page.content.decode())},
    )
    assert fresh.status_code == 302 and api.trackers.find_by_name("A") is not None
