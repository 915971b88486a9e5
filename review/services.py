"""Review service layer: approve, or request changes, as audit entries (nothing else stores a
review). The self-approval rule is checked here, whatever the screen showed."""

from __future__ import annotations

from dataclasses import dataclass, field

from audit.models import Action
from audit.services import AuditContext, record_reviews
from review.reviews import UNREVIEWED, reviews_of

from .policy import self_approval

Target = tuple[str, str, int]  # (object type, object id, the latest change the lead saw)


@dataclass
class Decision:
    done: list[str] = field(default_factory=list)  # object names
    refused: dict[Target, str] = field(default_factory=dict)  # target → why not


def _covered(targets: list[Target]):
    current = reviews_of(t[:2] for t in targets)
    for target in targets:
        review = current.get(target[:2])
        changes = [c for c in review.changes if c.seq <= target[2]] if review else []
        yield target, review, changes


def review_approve(*, user, ctx: AuditContext, targets: list[Target]) -> Decision:
    """Approve each object's changes up to the one the lead saw (one entry per object, in one
    transaction). A change made meanwhile stays in the queue.

    Raises: nothing for a refused object: it is listed in Decision.refused with the reason.
    """
    rule, decision, items = self_approval(user), Decision(), []
    for target, review, changes in _covered(targets):
        refusal = "Already reviewed: nothing left to approve." if not changes else ""
        refusal = refusal or rule.refusal(changes)
        if refusal:
            decision.refused[target] = refusal
            continue
        items.append(_item(target, review, changes))
        decision.done.append(review.name)
    record_reviews(ctx=ctx, action=Action.REVIEW_APPROVED, items=items)
    return decision


def review_request_changes(*, user, ctx: AuditContext, target: Target) -> Decision:
    """Ask the authors for changes (ctx.reason is the comment, which the form requires). The
    object leaves the queue until its next change.

    Raises: ValueError when the comment is empty.
    """
    if not ctx.reason:
        raise ValueError("A request for changes needs a comment.")
    decision = Decision()
    for target_, review, changes in _covered([target]):
        if not changes or review.state != UNREVIEWED:
            decision.refused[target_] = "Already reviewed: nothing left to ask about."
            continue
        record_reviews(
            ctx=ctx,
            action=Action.REVIEW_CHANGES_REQUESTED,
            items=[_item(target_, review, changes)],
        )
        decision.done.append(review.name)
    return decision


def _item(target: Target, review, changes) -> dict:
    return {
        "object_type": target[0],
        "object_id": target[1],
        "object_name": review.name,
        "covers": [c.seq for c in changes],
    }
