"""The page shown when the read in front of a write fails keeps what was typed (found by the
fault soak: a delete's note was lost when the read before the delete hit a 503)."""

from __future__ import annotations

import pytest

from resources.generic import base
from symbl_admin.management_api.errors import Unavailable

pytestmark = pytest.mark.django_db


@pytest.fixture
def read_fails(monkeypatch):
    def fail(**kwargs):
        raise Unavailable("Simulated 503", status=503)

    monkeypatch.setattr(base.objects, "object_get", fail)


def test_a_failed_read_before_a_delete_offers_to_post_the_note_again(role_client, read_fails):
    response = role_client("lead").post(
        "/trackers/123/delete/", {"reason": "Duplicate of <billing> & co"}
    )
    page = response.content.decode()
    assert response.status_code == 503
    assert 'name="reason" value="Duplicate of &lt;billing&gt; &amp; co"' in page
    assert 'method="post" action="/trackers/123/delete/"' in page


def test_a_failed_read_on_a_page_offers_a_retry_link(role_client, read_fails):
    response = role_client("lead").get("/trackers/123/delete/")
    page = response.content.decode()
    assert response.status_code == 503
    assert 'href="/trackers/123/delete/"' in page
    assert 'name="reason"' not in page
