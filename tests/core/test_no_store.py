"""`Cache-Control: no-store` on every signed-in page, partial and export (NoStoreMiddleware);
static files stay cacheable."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def ids(api, role_client):
    tracker = api.trackers.create(name="Cached Nowhere", vocabulary=["hello"])
    group = api.groups.create(name="Cached Group", criteria="conversation.metadata.team==sales")
    return {"tracker": tracker.id, "group": group.id}


PAGES = [
    "/",
    "/trackers/",
    "/trackers/{tracker}/",
    "/trackers/{tracker}/edit/",
    "/trackers/export.csv",
    "/trackers/export.json",
    "/groups/",
    "/groups/{group}/",
    "/groups/export.csv",
    "/audit/",
    "/audit/1/",
    "/audit/export.csv",
    "/audit/export.json",
    "/review/",
    "/tester/",
    "/accounts/password_change/",
    "/no-such-page/",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_signed_in_answer_is_no_store(role_client, ids, path):
    response = role_client("admin").get(path.format(**ids))
    assert response["Cache-Control"] == "no-store", (path, response.status_code)


@pytest.mark.parametrize("path", ["/trackers/?q=cached", "/groups/?q=cached", "/audit/?q=x"])
def test_htmx_partials_are_no_store(role_client, ids, path):
    response = role_client("admin").get(path, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert response["Cache-Control"] == "no-store"


def test_a_refusal_to_a_signed_in_user_is_no_store(role_client, ids):
    response = role_client("auditor").get(f"/trackers/{ids['tracker']}/edit/")
    assert (response.status_code, response["Cache-Control"]) == (403, "no-store")


def test_static_files_stay_cacheable(role_client, settings):
    settings.WHITENOISE_USE_FINDERS = True  # read when the client's first request loads it
    response = role_client("admin").get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
