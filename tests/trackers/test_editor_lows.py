"""Small editor defects new users met (issue 23, low): every error at once on save, the
phrases to ignore's count, languages typed by name."""

from __future__ import annotations

import pytest

from tests.trackers.writes import form as _form

pytestmark = pytest.mark.django_db


def test_save_shows_a_taken_name_beside_the_phrase_count_error(role_client, tracker):
    too_many = [f"phrase number {i}" for i in range(51)]
    response = role_client("analyst").post(
        "/trackers/new/", _form(name="Promotion Mention", phrases=too_many)
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "A tracker holds at most 50 phrases" in body
    assert "A tracker named “Promotion Mention” already exists" in body
