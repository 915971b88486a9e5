"""The suite-wide secrets watch (tests/support/secrets_watch.py) hears what it should: each
test here plants a known secret where the watch listens, checks the watch caught it (and
says where, without the whole value), then forgives it so this test itself passes. The last
one runs a planted leak in a pytest of its own and sees that test fail."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from resources import services
from tests.review.conftest import ctx_for
from tests.support.secrets_watch import WATCH, Watch
from trackers.resource import TRACKERS

pytestmark = pytest.mark.django_db

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _caught(label: str, where: str) -> list[str]:
    leaks = WATCH.forgive()
    assert [leak for leak in leaks if label in leak and where in leak], leaks
    return leaks


def test_the_secret_key_echoed_in_a_page_is_caught(role_client):
    role_client("analyst").get("/trackers/", {"q": django_settings.SECRET_KEY})
    leaks = _caught("settings.SECRET_KEY", "the body of GET /trackers/ (200)")
    assert all(django_settings.SECRET_KEY not in leak for leak in leaks)  # only its start


def test_a_password_in_a_streamed_export_is_caught(role_client, api, make_user):
    password = "pw-streamed-export-8842"
    make_user("someone").set_password(password)
    data = {"name": f"Named {password}", "vocabulary": ["a phrase"]}
    services.create(client=api, resource=TRACKERS, data=data, ctx=ctx_for(make_user("w")))
    response = role_client("analyst").get("/trackers/export.csv")
    b"".join(response.streaming_content)
    _caught("a password", "the streamed body of GET /trackers/export.csv (200)")


def test_a_value_split_across_two_chunks_is_caught():
    watch = Watch()
    watch.start(allowed=False)
    watch.learn("a password", "split-across-chunks")
    list(watch.stream("a stream", [b"...split-acr", b"oss-chunks..."]))
    assert watch.stop() == ["a password (spli…, 19 chars) in a stream"]


def test_an_access_token_in_a_debug_log_record_is_caught(api):
    api.trackers.list()  # the client fetches a token from the local API
    token = cache.get(api.transport.token_key)["token"]
    logging.getLogger("symbl_admin.anything").debug("careless: %s", token)
    _caught("an access token", "a log record of symbl_admin.anything (DEBUG)")


def test_a_session_key_in_the_embedded_apis_answer_is_caught(role_client, api):
    analyst = role_client("analyst")
    session_key = analyst.session.session_key
    analyst.post("/trackers/new/", {"name": f"k {session_key}", "phrases": "hello there"})
    _caught("a session key", "the embedded Management API's answer to POST /v1/manage/tracker")


def test_the_session_id_in_its_own_cookie_is_not_a_leak(client, make_user):
    make_user("ana", "Analyst")
    response = client.post("/accounts/login/", {"username": "ana", "password": "pw-for-tests-1"})
    assert response.status_code == 302
    assert response.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert WATCH.leaks == []


def test_a_planted_leak_fails_its_test_and_the_marker_lets_it_pass():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "SYMBL_"))}
    env["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "tests/core/secrets_probe.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "2 passed, 1 error" in out, out
    assert "ERROR tests/core/secrets_probe.py::test_a_password_echoed_in_a_page" in out, out
    assert "a password (prob…, 22 chars) in the body of GET /trackers/ (200)" in out, out
    assert "probe-Password-31337-x" not in out.replace('PROBE_PASSWORD = "probe-Pass', "")
