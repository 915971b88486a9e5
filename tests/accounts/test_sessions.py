"""Sessions: idle timeout and absolute lifetime on a controllable clock, logout ends the
session on the server, and signing in gives a new session id (no fixation)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client

from accounts import sessions

pytestmark = pytest.mark.django_db
MINUTE, HOUR = 60.0, 3600.0


class Clock:
    def __init__(self, start: float = 1_800_000_000.0):
        self.at = start

    def __call__(self) -> float:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += seconds


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(sessions, "now", c)
    return c


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()


def _signed_in(make_user) -> Client:
    make_user("ana", "Analyst")
    client = Client()
    response = client.post("/accounts/login/", {"username": "ana", "password": "pw-for-tests-1"})
    assert response.status_code == 302 and response["Location"] == "/"
    return client


def _is_signed_in(client: Client) -> bool:
    response = client.get("/")
    return response.status_code == 200


def test_defaults_are_thirty_minutes_idle_and_twelve_hours_in_all():
    assert settings.SESSION_IDLE_TIMEOUT == 30 * MINUTE
    assert settings.SESSION_ABSOLUTE_LIFETIME == 12 * HOUR
    assert settings.SESSION_COOKIE_AGE == 12 * HOUR


def test_both_limits_come_from_the_environment():
    env = {**os.environ, "SESSION_IDLE_MINUTES": "5", "SESSION_ABSOLUTE_HOURS": "2"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='tests.settings'; "
        "from django.conf import settings as s; "
        "print(s.SESSION_IDLE_TIMEOUT, s.SESSION_ABSOLUTE_LIFETIME, s.SESSION_COOKIE_AGE)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["300.0", "7200.0", "7200"]


def test_a_session_idle_past_the_timeout_is_signed_out_on_the_server(make_user, clock):
    client = _signed_in(make_user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    clock.advance(29 * MINUTE)
    assert _is_signed_in(client)
    clock.advance(29 * MINUTE)  # 58 minutes in, but never 30 idle
    assert _is_signed_in(client)
    clock.advance(30 * MINUTE + 1)
    response = client.get("/trackers/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Session.objects.filter(session_key=key).exists()


def test_an_active_session_ends_at_its_absolute_lifetime(make_user, clock):
    client = _signed_in(make_user)
    for _ in range(35):  # every 20 minutes for 11 h 40 min: never idle
        clock.advance(20 * MINUTE)
        assert _is_signed_in(client)
    clock.advance(20 * MINUTE + 1)  # 12 h and a second after signing in
    assert not _is_signed_in(client)


def test_the_limits_follow_the_settings(make_user, clock, settings):
    settings.SESSION_IDLE_TIMEOUT = 2 * MINUTE
    client = _signed_in(make_user)
    clock.advance(2 * MINUTE - 1)
    assert _is_signed_in(client)
    clock.advance(2 * MINUTE + 1)
    assert not _is_signed_in(client)


def test_a_session_without_its_clocks_is_not_accepted(make_user, clock):
    client = _signed_in(make_user)
    session = client.session
    del session[sessions.LOGIN_AT]
    session.save()
    assert not _is_signed_in(client)


def test_logout_ends_the_session_on_the_server(make_user):
    client = _signed_in(make_user)
    old = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(session_key=old).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old  # the stolen or kept cookie
    response = replay.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_signing_in_gives_a_new_session_id(make_user):
    make_user("ana", "Analyst")
    client = Client()
    planted = client.session  # a session the visitor had (or was given) before signing in
    planted["visited"] = True
    planted.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    client.post("/accounts/login/", {"username": "ana", "password": "pw-for-tests-1"})
    new = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new and new != planted.session_key
    assert not Session.objects.filter(session_key=planted.session_key).exists()
    assert _is_signed_in(client)
