"""The remembered standings (audit/standings.py) always say what a fresh read of the whole log
says (audit/reviews.py), after every write and review, in this process and the next."""

from __future__ import annotations

import random

import pytest
from django.core.cache import cache

from symbl_admin.audit import standings
from symbl_admin.audit.models import AuditEntry
from symbl_admin.audit.reviews import object_reviews
from symbl_admin.review import selectors, services

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
        assert selectors._order() == oldest_first, f"after step {step}"  # remembered at head
        seen |= {value[0] for value in _fresh().values()}
    assert seen == {"unreviewed", "approved", "changes_requested"}  # the walk saw each state


def test_a_memo_of_another_log_is_not_used(people, write, monkeypatch):
    write(people["analyst"], "Promo", PHRASES)
    assert standings.queue_count() == 1
    head = AuditEntry.objects.order_by("-seq").first()
    # A memo that claims this seq but was folded from another log (another hash): refused.
    stale = standings._Memo(head.seq, "0" * 64, {})
    monkeypatch.setattr(standings, "_memo", stale)
    cache.set(standings.CACHE_KEY, stale, None)
    assert standings.queue_count() == 1
    # A memo of an earlier entry whose hash no longer matches: refused too.
    monkeypatch.setattr(standings, "_memo", standings._Memo(1, "f" * 64, {}))
    cache.delete(standings.CACHE_KEY)
    assert standings.queue_count() == 1


def test_another_worker_takes_the_shared_memo_and_reads_only_newer_entries(
    people, write, monkeypatch, django_assert_max_num_queries
):
    tracker = write(people["analyst"], "Promo", PHRASES)
    assert standings.queue_count() == 1  # folded once; the memo is shared through the cache
    monkeypatch.setattr(standings, "_memo", standings._Memo(0, "", {}))  # a fresh worker
    with django_assert_max_num_queries(1):  # the head; the rest comes from the cache
        assert standings.queue_count() == 1
    lead = people["lead"]
    target = ("tracker", tracker.id, object_reviews()[("tracker", tracker.id)].head)
    services.review_approve(user=lead, ctx=ctx_for(lead), targets=[target])
    with django_assert_max_num_queries(4):  # head, prefix check, new writes, new reviews
        assert standings.queue_count() == 0


def test_what_is_kept_at_the_head_is_computed_again_once_the_log_moves(people, write):
    computed = []

    def count() -> int:
        computed.append(1)
        return AuditEntry.objects.count()

    write(people["analyst"], "Promo", PHRASES)
    first = standings.at_head(("entries",), count)
    assert standings.at_head(("entries",), count) == first and len(computed) == 1
    write(people["analyst"], "Promo", [*PHRASES, "one more"])
    assert standings.at_head(("entries",), count) == AuditEntry.objects.count() > first
    assert len(computed) == 2
