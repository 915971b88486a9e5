"""Every object's review standing, read from the standings table (models.ObjectStanding).

The table is an index of the log: audit.chain calls `record` (registered in apps.py) in the
same transaction as the entries it appends, so it is never behind the log and never needs a refold; a
list's badges are one indexed read, the navigation's count one count. `rebuild` makes it
again from the whole log (migration 0001, `manage.py rebuild_standings`).

Its versions are what caches key on (symbl_admin/caching): `version()` moves with any write
or review of any object, `touched()` with any entry of one object; neither moves with a
sign-in, a sign-out or a refusal, which name no object.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Min

from audit.models import REVIEW_ACTIONS, WRITE_ACTIONS, AuditEntry, Outcome

from .models import ObjectStanding
from .reviews import UNREVIEWED, Review, review_from_row, review_state


@dataclass(frozen=True)
class Standing:
    """One object's review standing (what reviews.ObjectReview derives, without its changes)."""

    object_type: str
    object_id: str
    last_write: int = 0  # seq of the latest successful write's intent
    approval: Review | None = None
    latest: Review | None = None
    touched: int = 0  # seq of the object's latest entry of any kind

    @property
    def base(self) -> int:
        """The last write the latest approval covered (0 when never approved)."""
        return self.approval.up_to if self.approval else 0

    @property
    def head(self) -> int:
        """The latest write not yet approved (0 when none): as ObjectReview.head."""
        return self.last_write if self.last_write > self.base else 0

    @property
    def state(self) -> str:
        return review_state(latest=self.latest, approval=self.approval, head=self.head)

    @property
    def in_queue(self) -> bool:
        """As ObjectReview.in_queue: changed since its last approval, not waiting on its author."""
        return bool(self.head) and self.state == UNREVIEWED


# ---------------------------------------------------------------------------------------------
# Keeping the table (inside the append's transaction)


@dataclass(frozen=True)
class _Seen:  # what review_state reads of a review
    approved: bool
    up_to: int


def _apply(row: ObjectStanding, entry: AuditEntry, first_after: Callable[[int, int], int]):
    """row after entry (the next entry of its object, in seq order)."""
    row.touched = entry.seq
    if entry.completes_id and entry.outcome == Outcome.SUCCESS and entry.action in WRITE_ACTIONS:
        intent = entry.completes_id
        row.last_write = max(row.last_write, intent)
        if intent > row.approval_up_to and (not row.first_change or intent < row.first_change):
            row.first_change = intent
    elif entry.completes_id is None and entry.action in REVIEW_ACTIONS:
        review = review_from_row(entry.seq, entry.time, entry.action, None, "", entry.after)
        row.latest_seq, row.latest_up_to = entry.seq, review.up_to
        row.latest_approved = review.approved
        if review.approved:
            row.approval_seq, row.approval_up_to = entry.seq, review.up_to
            row.first_change = first_after(review.up_to, entry.seq)
    head = row.last_write if row.last_write > row.approval_up_to else 0
    latest = _Seen(row.latest_approved, row.latest_up_to) if row.latest_seq else None
    approval = _Seen(True, row.approval_up_to) if row.approval_seq else None
    row.state = review_state(latest=latest, approval=approval, head=head)
    row.in_queue = bool(head) and row.state == UNREVIEWED


def _first_success_after(kind: str, object_id: str) -> Callable[[int, int], int]:
    """(base, before) → the first successful write's intent after base, completed before
    `before` (0 when none): read from the log, for an approval appended now."""

    def first(base: int, before: int) -> int:
        found = AuditEntry.objects.filter(
            object_type=kind,
            object_id=object_id,
            outcome=Outcome.SUCCESS,
            action__in=list(WRITE_ACTIONS),
            completes_id__gt=base,
            seq__lt=before,
        ).aggregate(first=Min("completes_id", default=0))
        return found["first"]

    return first


def record(entries: Iterable[AuditEntry]) -> None:
    """Bring the table up to these newly appended entries. Call only inside chain's lock."""
    mine = [e for e in entries if e.object_type and e.object_id]
    if not mine:
        return
    by_type: dict[str, set[str]] = defaultdict(set)
    for e in mine:
        by_type[e.object_type].add(e.object_id)
    rows: dict[tuple[str, str], ObjectStanding] = {}
    for kind, ids in by_type.items():
        for row in ObjectStanding.objects.filter(object_type=kind, object_id__in=ids):
            rows[(kind, row.object_id)] = row
    for e in mine:
        key = (e.object_type, e.object_id)
        row = rows.get(key) or ObjectStanding(object_type=key[0], object_id=key[1])
        rows[key] = row
        _apply(row, e, _first_success_after(*key))
    _save(rows.values(), ObjectStanding)


def _save(rows, model) -> None:
    fixed = ("id", "object_type", "object_id")
    fields = [f.name for f in model._meta.concrete_fields if f.name not in fixed]
    model.objects.bulk_create(
        list(rows),
        update_conflicts=True,
        unique_fields=["object_type", "object_id"],
        update_fields=fields,
        batch_size=500,
    )


def rebuild(entry_model=AuditEntry, standing_model=ObjectStanding) -> int:
    """Make the table again from the whole log (in seq order). Returns the objects counted."""
    rows: dict[tuple[str, str], object] = {}
    successes: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    entries = (
        entry_model.objects.exclude(object_id="")
        .exclude(object_type="")
        .order_by("seq")
        .only("seq", "time", "action", "object_type", "object_id", "outcome", "completes", "after")
    )
    for e in entries.iterator(chunk_size=2000):
        key = (e.object_type, e.object_id)
        row = rows.get(key) or standing_model(object_type=key[0], object_id=key[1])
        rows[key] = row
        done = successes[key]

        def first(base: int, before: int, done=done) -> int:
            return min((i for i, s in done if i > base and s < before), default=0)

        _apply(row, e, first)
        if e.completes_id and e.outcome == Outcome.SUCCESS and e.action in WRITE_ACTIONS:
            bisect.insort(done, (e.completes_id, e.seq))
    standing_model.objects.all().delete()
    _save(rows.values(), standing_model)
    return len(rows)


# ---------------------------------------------------------------------------------------------
# Reading


def _reviews(seqs: set[int]) -> dict[int, Review]:
    if not seqs:
        return {}
    rows = AuditEntry.objects.filter(seq__in=seqs).values_list(
        "seq", "time", "action", "actor_id", "actor_username", "after"
    )
    return {row[0]: review_from_row(*row) for row in rows}


def _standings(rows: list[ObjectStanding]) -> dict[tuple[str, str], Standing]:
    found = _reviews({s for r in rows for s in (r.approval_seq, r.latest_seq) if s})
    return {
        (r.object_type, r.object_id): Standing(
            r.object_type,
            r.object_id,
            r.last_write,
            found.get(r.approval_seq),
            found.get(r.latest_seq),
            r.touched,
        )
        for r in rows
    }


def standings() -> dict[tuple[str, str], Standing]:
    """(type, id) → Standing for every object with a logged entry."""
    return _standings(list(ObjectStanding.objects.all()))


def review_states(*, object_type: str, object_ids) -> dict[str, Standing]:
    """id → Standing for these objects (one with no logged write reads "unreviewed")."""
    ids = [str(i) for i in object_ids]
    rows = list(ObjectStanding.objects.filter(object_type=object_type, object_id__in=ids))
    known = _standings(rows)
    return {i: known.get((object_type, i)) or Standing(object_type, i) for i in ids}


def queue_count() -> int:
    """How many objects wait for a review (the navigation's "Review 3"): every page that is
    rendered shows it, so plain SQL, like version()."""
    table = connection.ops.quote_name(ObjectStanding._meta.db_table)
    column = connection.ops.quote_name(ObjectStanding._meta.get_field("in_queue").column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} = %s", [True])  # noqa: S608
        return cursor.fetchone()[0]


def queued() -> list[tuple[str, str]]:
    """The (type, id) of every object waiting for a review, oldest first change first."""
    rows = ObjectStanding.objects.filter(in_queue=True).order_by(
        "first_change", "object_type", "object_id"
    )
    return list(rows.values_list("object_type", "object_id"))


def keys_in_state(state: str) -> set[tuple[str, str]]:
    """The (type, id) of every object in this review state."""
    rows = ObjectStanding.objects.filter(state=state)
    return set(rows.values_list("object_type", "object_id"))


def version() -> int:
    """Moves with any write or review of any object: what a page of review badges, the
    queue or the navigation's count is made of. Asked by every kept page, so plain SQL (the
    ORM spent more building the aggregate than the index spends answering it)."""
    table = connection.ops.quote_name(ObjectStanding._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(touched) FROM {table}")  # noqa: S608 - a quoted table name
        found = cursor.fetchone()[0]
    return found or 0


def touched(object_type: str, object_id: str) -> int:
    """The seq of this object's latest entry of any kind (0 when none)."""
    found = ObjectStanding.objects.filter(object_type=object_type, object_id=object_id)
    return found.values_list("touched", flat=True).first() or 0
