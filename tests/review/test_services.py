"""Review services: approvals and requests for changes are audit entries, linked and chained."""

from __future__ import annotations

import pytest

from audit.integrity import verify
from audit.models import AuditEntry
from review import services
from review.reviews import object_reviews
from review.standings import queue_count, review_states

from .conftest import PHRASES, ctx_for

pytestmark = pytest.mark.django_db


def _target(tracker):
    review = object_reviews()[("tracker", tracker.id)]
    return ("tracker", tracker.id, review.head)


def test_a_change_puts_the_object_in_the_queue(people, write):
    tracker = write(people["analyst"], "Promo", PHRASES)
    review = review_states(object_type="tracker", object_ids=[tracker.id])[tracker.id]
    assert (review.state, review.in_queue, queue_count()) == ("unreviewed", True, 1)


def test_approval_is_one_entry_covering_every_change(people, write):
    write(people["analyst"], "Promo", PHRASES)
    tracker = write(people["analyst"], "Promo", [*PHRASES, "extra"])
    lead = people["lead"]
    services.review_approve(user=lead, ctx=ctx_for(lead, "ok"), targets=[_target(tracker)])
    entry = AuditEntry.objects.get(action="review_approved")
    writes = object_reviews()[("tracker", tracker.id)]
    assert entry.after["covers"] == sorted(
        AuditEntry.objects.filter(
            action__in=["create", "update"], completes__isnull=True
        ).values_list("seq", flat=True)
    )
    assert (entry.reason, entry.outcome, entry.object_id) == ("ok", "success", tracker.id)
    assert (writes.state, queue_count()) == ("approved", 0)


def test_review_entries_are_chained_and_verified(people, write):
    tracker = write(people["analyst"], "Promo", PHRASES)
    lead = people["lead"]
    services.review_approve(user=lead, ctx=ctx_for(lead), targets=[_target(tracker)])
    assert verify(write_checkpoint=False).ok


def test_request_changes_takes_it_out_until_the_next_change(people, write):
    tracker = write(people["analyst"], "Promo", PHRASES)
    lead = people["lead"]
    services.review_request_changes(
        user=lead, ctx=ctx_for(lead, "Add plurals"), target=_target(tracker)
    )
    assert (object_reviews()[("tracker", tracker.id)].state, queue_count()) == (
        "changes_requested",
        0,
    )
    write(people["analyst"], "Promo", [*PHRASES, "offers"])
    assert queue_count() == 1


def test_after_changes_requested_the_next_approval_covers_both_changes(people, write):
    tracker = write(people["analyst"], "Promo", PHRASES)
    lead = people["lead"]
    services.review_request_changes(user=lead, ctx=ctx_for(lead, "More"), target=_target(tracker))
    write(people["analyst"], "Promo", [*PHRASES, "offers"])
    assert len(object_reviews()[("tracker", tracker.id)].changes) == 2


def test_request_changes_needs_a_comment(people, write):
    tracker = write(people["analyst"], "Promo", PHRASES)
    with pytest.raises(ValueError):
        services.review_request_changes(
            user=people["lead"], ctx=ctx_for(people["lead"]), target=_target(tracker)
        )


def test_a_change_made_while_the_lead_looked_stays_in_the_queue(people, write):
    tracker = write(people["analyst"], "Promo", PHRASES)
    seen = _target(tracker)
    write(people["analyst"], "Promo", [*PHRASES, "late"])
    lead = people["lead"]
    services.review_approve(user=lead, ctx=ctx_for(lead), targets=[seen])
    review = object_reviews()[("tracker", tracker.id)]
    assert (review.in_queue, len(review.changes)) == (True, 1)


def test_bulk_approval_writes_one_entry_per_object(people, write):
    a = write(people["analyst"], "Promo", PHRASES)
    b = write(people["analyst"], "Other", PHRASES[:2] + ["x", "y", "z"])
    lead = people["lead"]
    result = services.review_approve(user=lead, ctx=ctx_for(lead), targets=[_target(a), _target(b)])
    assert sorted(result.done) == ["Other", "Promo"]
    assert AuditEntry.objects.filter(action="review_approved").count() == 2


def test_approving_twice_is_refused_politely(people, write):
    tracker = write(people["analyst"], "Promo", PHRASES)
    target, lead = _target(tracker), people["lead"]
    services.review_approve(user=lead, ctx=ctx_for(lead), targets=[target])
    again = services.review_approve(user=lead, ctx=ctx_for(lead), targets=[target])
    assert (again.done, list(again.refused)) == ([], [target])


def test_verify_audit_refuses_a_review_that_points_at_nothing(people, write):
    from audit.chain import append, intent_row

    write(people["analyst"], "Promo", PHRASES)
    row = intent_row(
        ctx_for(people["lead"]),
        action="review_approved",
        object_type="tracker",
        object_id="x",
        after={"covers": [999], "comment": ""},
        outcome="success",
    )
    append([row], durable=False)
    result = verify(write_checkpoint=False)
    assert (result.ok, "does not point at earlier changes" in result.problem) == (False, True)
