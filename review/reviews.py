"""Audit review reading: what the log says about each object's review.

A review is an audit entry (REVIEW_ACTIONS) whose `after` lists the write entries it covers.
From the successful writes and the reviews of an object this module derives its changes since
the last approval and its state ("approved", "changes_requested", "unreviewed"). Reads only;
the review app builds its queue on it, the generic list and detail pages show the state.
Two queries whatever the number of objects; the navigation's count and the list badges read
the remembered standings instead (standings.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from audit.models import REVIEW_ACTIONS, WRITE_ACTIONS, Action, AuditEntry, Outcome

APPROVED, CHANGES_REQUESTED, UNREVIEWED = "approved", "changes_requested", "unreviewed"


@dataclass(frozen=True)
class Change:
    """One successful write of an object (its intent's who, when and note)."""

    seq: int
    time: datetime
    action: str
    object_name: str
    actor_id: int | None
    actor_username: str
    reason: str

    @property
    def action_label(self) -> str:
        return Action(self.action).label


@dataclass(frozen=True)
class Review:
    seq: int
    time: datetime
    action: str
    actor_id: int | None
    actor_username: str
    comment: str
    covers: tuple[int, ...]

    @property
    def approved(self) -> bool:
        return self.action == Action.REVIEW_APPROVED

    @property
    def up_to(self) -> int:
        return max(self.covers, default=0)


def review_from_row(seq, time, action, actor_id, username, after) -> Review:
    """A Review from an audit entry's columns (its `after` lists what it covers)."""
    after = after if isinstance(after, dict) else {}
    covers = tuple(int(s) for s in after.get("covers") or () if str(s).isdigit())
    comment = str(after.get("comment") or "")
    return Review(seq, time, action, actor_id, username, comment, covers)


def review_state(*, latest: Review | None, approval: Review | None, head: int) -> str:
    """An object's state from its latest review, latest approval and its latest write not yet
    approved (`head`, 0 when none)."""
    if latest and not latest.approved and latest.up_to >= head:
        return CHANGES_REQUESTED
    if approval and not head:
        return APPROVED
    return UNREVIEWED


@dataclass(frozen=True)
class ObjectReview:
    """One object's review standing. `changes` are the writes since the last approval (what
    the next approval covers), oldest first; `latest` is the latest review of any kind."""

    object_type: str
    object_id: str
    changes: tuple[Change, ...] = ()
    latest: Review | None = None
    approval: Review | None = None

    @cached_property
    def actor_ids(self) -> frozenset:
        """Who made the changes (the self-approval rule asks it of every item on a page)."""
        return frozenset(c.actor_id for c in self.changes)

    @property
    def state(self) -> str:
        return review_state(latest=self.latest, approval=self.approval, head=self.head)

    @property
    def head(self) -> int:
        """The seq of the latest change not yet approved (0 when none)."""
        return self.changes[-1].seq if self.changes else 0

    @property
    def in_queue(self) -> bool:
        """Changed since the last approval, and not waiting on its author after a request."""
        return bool(self.changes) and self.state == UNREVIEWED

    @property
    def name(self) -> str:
        return self.changes[-1].object_name if self.changes else ""

    @property
    def requested_of(self) -> tuple[Change, ...]:
        """The changes the latest "changes requested" covered (their authors must act)."""
        if self.state != CHANGES_REQUESTED:
            return ()
        return tuple(c for c in self.changes if c.seq in self.latest.covers)


def _writes(object_type: str | None, ids: set[str] | None):
    # Outcome rows carry the id the answer gave (a created or restored object's new id).
    qs = AuditEntry.objects.filter(
        completes__isnull=False, outcome=Outcome.SUCCESS, action__in=list(WRITE_ACTIONS)
    ).exclude(object_id="")
    if object_type:
        qs = qs.filter(object_type=object_type)
    if ids is not None:
        qs = qs.filter(object_id__in=ids)
    return qs.order_by("completes_id").values_list(
        "object_type",
        "object_id",
        "completes_id",
        "completes__time",
        "action",
        "object_name",
        "completes__actor_id",
        "completes__actor_username",
        "completes__reason",
    )


def _reviews(object_type: str | None, ids: set[str] | None):
    qs = AuditEntry.objects.filter(action__in=list(REVIEW_ACTIONS), completes__isnull=True)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if ids is not None:
        qs = qs.filter(object_id__in=ids)
    return qs.order_by("seq").values_list(
        "object_type", "object_id", "seq", "time", "action", "actor_id", "actor_username", "after"
    )


def object_reviews(
    *, object_type: str | None = None, object_ids: Iterable[str] | None = None
) -> dict[tuple[str, str], ObjectReview]:
    """(type, id) → ObjectReview for every object with a logged write or review (narrowed
    to one type and/or some ids)."""
    ids = {str(i) for i in object_ids} if object_ids is not None else None
    writes: dict[tuple[str, str], list[Change]] = defaultdict(list)
    for kind, oid, seq, time, action, name, actor_id, username, reason in _writes(object_type, ids):
        writes[(kind, oid)].append(Change(seq, time, action, name, actor_id, username, reason))
    reviews: dict[tuple[str, str], list[Review]] = defaultdict(list)
    for kind, oid, *columns in _reviews(object_type, ids):
        reviews[(kind, oid)].append(review_from_row(*columns))
    result = {}
    for key in writes.keys() | reviews.keys():
        mine = reviews.get(key, [])
        approval = next((r for r in reversed(mine) if r.approved), None)
        base = approval.up_to if approval else 0
        result[key] = ObjectReview(
            object_type=key[0],
            object_id=key[1],
            changes=tuple(c for c in writes.get(key, []) if c.seq > base),
            latest=mine[-1] if mine else None,
            approval=approval,
        )
    return result


def reviews_of(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], ObjectReview]:
    """The full reviews of these (type, id) objects only: one narrowed read per type, so the
    (type, id, seq) index serves it whatever the size of the log."""
    by_type: dict[str, set[str]] = defaultdict(set)
    for kind, object_id in keys:
        by_type[kind].add(object_id)
    found: dict[tuple[str, str], ObjectReview] = {}
    for kind, ids in by_type.items():
        found.update(object_reviews(object_type=kind, object_ids=ids))
    return found


def first_changes(bases: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """(type, id) → the seq of its first successful write after its base (its last approval's
    `up_to`, 0 when none): what orders the queue, read as bare numbers through the index, so
    only the shown page's objects need their changes read in full."""
    by_type: dict[str, set[str]] = defaultdict(set)
    for kind, object_id in bases:
        by_type[kind].add(object_id)
    firsts: dict[tuple[str, str], int] = {}
    for kind, ids in by_type.items():
        rows = _writes(kind, ids).values_list("object_id", "completes_id")
        for object_id, seq in rows.order_by():
            key = (kind, object_id)
            if seq > bases[key] and seq < firsts.get(key, seq + 1):
                firsts[key] = seq
    return firsts
