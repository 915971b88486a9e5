"""The standings table (review/standings.py) always says what a fresh read of the whole log
says (review/reviews.py), after every write and review, in this process and the next."""

from __future__ import annotations

import random

import pytest

from audit.models import AuditEntry
from review import services, standings
from review.reviews import object_reviews

from .conftest import PHRASES, ctx_for

pytestmark = pytest.mark.django_db


def _fresh() -> dict:
    return {
        key: (r.state, r.head, r.in_queue, r.approval, r.latest)
        for key, r in object_reviews().items()
    }


def _remembered() -> dict:
    return {
        key: (s.state, s.head, s.in_queue, s.approval, s.latest)
        for key, s in standings.standings().items()
    }


def test_standings_follow_every_write_and_review(people, write):
    rng = random.Random(5)
    names = ["Promo", "Refund", "Churn"]
    seen = set()
    for step in range(24):
        name = rng.choice(names)
        move = rng.random()
        found = sorted(k for k, r in object_reviews().items() if r.head)
        if move < 0.5 or not found:
            write(people["analyst"], name, [*PHRASES, f"extra {step}"])
        else:
            kind, oid = rng.choice(found)
            target = (kind, oid, object_reviews()[(kind, oid)].head)
            lead = people[rng.choice(["lead", "lead2"])]
            if move < 0.8:
                services.review_approve(user=lead, ctx=ctx_for(lead), targets=[target])
            else:
                services.review_request_changes(user=lead, ctx=ctx_for(lead, "More"), target=target)
        assert _remembered() == _fresh(), f"after step {step}"
        waiting = {k: r for k, r in object_reviews().items() if r.in_queue}
        assert set(standings.queued()) == set(waiting), f"after step {step}"
        oldest_first = sorted(waiting, key=lambda k: (waiting[k].changes[0].seq, k))
        assert standings.queued() == oldest_first, f"after step {step}"
        seen |= {value[0] for value in _fresh().values()}
    assert seen == {"unreviewed", "approved", "changes_requested"}  # the walk saw each state


def test_the_table_rebuilt_from_the_log_equals_the_table_kept_by_each_append(people, write):
    tracker = write(people["analyst"], "Promo", PHRASES)
    write(people["analyst"], "Refund", PHRASES)
    lead = people["lead"]
    target = ("tracker", tracker.id, object_reviews()[("tracker", tracker.id)].head)
    services.review_approve(user=lead, ctx=ctx_for(lead), targets=[target])
    write(people["analyst"], "Promo", [*PHRASES, "again"])
    kept = _remembered()
    assert standings.rebuild() == len(kept)
    assert _remembered() == kept == _fresh()


def test_a_sign_in_moves_no_version(people, write, client):
    write(people["analyst"], "Promo", PHRASES)
    before = standings.version()
    client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    client.force_login(people["lead"])
    assert standings.version() == before
    assert AuditEntry.objects.order_by("-seq").first().seq > before  # the log did move
