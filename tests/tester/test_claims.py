"""One tester run per user: a newer request by the same user stops an older one still
running (tester/claims.py), in this process, in another process and across gunicorn workers."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from symbl_admin import sentences
from tester import claims, transcripts
from tester.claims import Claim, Superseded
from tests.support.csrf import token_in
from tests.support.dashboard import DashboardUser, dashboard_server, django_env, manage

PASSWORD = "claims-test-password-9"


@pytest.fixture(autouse=True)
def every_check_reads(monkeypatch):
    monkeypatch.setattr(claims, "CHECK_EVERY_SECONDS", 0.0)


def test_a_newer_claim_by_the_same_user_stops_the_older():
    older = Claim(7)
    newer = Claim(7)
    with pytest.raises(Superseded):
        older.check()
    newer.check()


def test_another_users_claim_does_not_stop_a_run():
    mine = Claim(7)
    Claim(8)
    mine.check()


def test_a_claim_made_in_another_process_stops_this_one(settings):
    # tests/settings.py gives this process a private var/ (its file cache); the child inherits it.
    mine = Claim(7)
    child = "import django; django.setup(); from tester.claims import Claim; Claim(7)"
    subprocess.run([sys.executable, "-c", child], check=True, timeout=60)
    with pytest.raises(Superseded):
        mine.check()


@pytest.mark.django_db
def test_the_view_answers_204_when_a_newer_request_starts_meanwhile(role_client, monkeypatch):
    client = role_client("analyst")
    user_id = client.session["_auth_user_id"]
    # A newer request's first act is its claim: make one while this request splits its text.
    segment = sentences._segment

    def newer_request_starts(piece):
        Claim(user_id)
        return segment(piece)

    monkeypatch.setattr(sentences, "_segment", newer_request_starts)
    response = client.post(
        "/tester/try/",
        {"transcript": "Hello there. " * 500, "phrases": "hello"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 204
    assert response.content == b""


def test_an_older_try_it_stops_when_a_newer_one_reaches_another_worker(tmp_path):
    env = django_env(f"sqlite:///{tmp_path / 'dashboard.sqlite3'}", tmp_path / "var")
    env["DEMO_PASSWORD"] = PASSWORD
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "create_demo_users")
    # One thread per worker: while the older request keeps its worker busy, the newer one can
    # only be served by the other worker.
    with dashboard_server(env, workers=2, threads=1) as server:
        analyst = DashboardUser(server.url)
        assert analyst.sign_in("analyst", PASSWORD).status_code == 302
        token = token_in(analyst.get("/tester/").text)

        def try_it(transcript: str):
            return analyst.session.post(
                server.url + "/tester/try/",
                data={"transcript": transcript, "phrases": "call me back"},
                headers={"X-CSRFToken": token, "HX-Request": "true", "Referer": server.url},
                timeout=120,
            )

        answers: dict[str, object] = {}
        older = threading.Thread(
            target=lambda: answers.update(older=try_it("e.g. " * (transcripts.MAX_CHARS // 5)))
        )
        started = time.monotonic()
        older.start()
        time.sleep(0.5)  # the older request is splitting (over a second of work alone)
        newer = try_it("Could you call me back later? The weather is nice.")
        older.join(timeout=120)
        older_answer = answers["older"]
    assert newer.status_code == 200
    assert "1 of 2 sentences caught" in newer.text
    assert older_answer.status_code == 204
    assert time.monotonic() - started < 30
