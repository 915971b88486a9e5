"""Run only by tests/core/test_secrets_watch.py, in a pytest of its own (the file name keeps
it out of the suite): one test leaks a password into a page and must fail at teardown; the
same leak under the `secrets_shown` marker must pass."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PROBE_PASSWORD = "probe-Password-31337-x"


def _leak(make_user, client) -> None:
    make_user("probe", "Analyst").set_password(PROBE_PASSWORD)
    client.force_login(make_user("reader", "Analyst"))
    assert client.get("/trackers/", {"q": PROBE_PASSWORD}).status_code == 200


def test_a_password_echoed_in_a_page(make_user, client):
    _leak(make_user, client)


@pytest.mark.secrets_shown("the probe of the marker itself")
def test_the_same_under_the_marker(make_user, client):
    _leak(make_user, client)
