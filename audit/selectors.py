"""Audit selector layer: read the log for the screens and for the trackers/groups features.

An intent row and its outcome rows are shown as one HistoryItem (see models.py for why they
are separate rows). Everything here only reads. The audit table's filters and pages are in
table.py; the comparison of two states is diff.py (re-exported here for existing callers).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from urllib.parse import quote, urlencode

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from symbl_admin import contract
from symbl_admin.links import url_of

from .diff import Diff, entry_diff
from .diff import diff_states as diff_states  # re-exported: the trackers/groups screens
from .models import (
    ACCOUNT_ACTIONS,
    WRITE_ACTIONS,
    Action,
    AuditEntry,
    ObjectType,
    Outcome,
    stale_after,
)


@dataclass(frozen=True)
class OutcomeRecord:
    seq: int
    time: datetime
    outcome: str
    status: int | None
    message: str
    by: str


@dataclass(frozen=True)
class HistoryItem:
    """One intent (or event) merged with its latest outcome."""

    seq: int
    time: datetime
    actor_id: int | None
    actor_username: str
    action: str
    object_type: str
    object_id: str  # the object's id as the answer gave it (a created object's new id)
    object_name: str
    before: dict | None
    after: dict | None  # what was sent
    effective_after: dict | None  # what the server answered, else what was sent
    outcome: str
    status: int | None
    message: str
    outcome_time: datetime | None
    outcomes: tuple[OutcomeRecord, ...]
    request_id: str
    ip: str
    user_agent: str
    reason: str
    hash: str
    is_stale: bool
    logged_id: str = ""  # the id the intent was logged under (a restore: the deleted one's)
    restored_as: str = ""  # a delete: the id a later restore gave the object, when known
    object_url: str = ""  # the object's own page, when the viewer may open it (recent_changes)

    @property
    def url(self) -> str:
        return url_of("audit:detail", self.seq)

    @property
    def action_label(self) -> str:
        return Action(self.action).label if self.action in Action.values else self.action

    @property
    def object_type_label(self) -> str:
        return ObjectType(self.object_type).label if self.object_type else ""

    @property
    def outcome_label(self) -> str:
        if self.outcome == Outcome.PENDING and self.is_stale:
            return "No answer recorded"
        return Outcome(self.outcome).label

    @property
    def is_write(self) -> bool:
        return self.action in WRITE_ACTIONS

    @property
    def shows_changes(self) -> bool:
        """A write, or a change to a user or a role: the detail shows what changed."""
        return self.action in WRITE_ACTIONS or self.action in ACCOUNT_ACTIONS

    @property
    def restored_from(self) -> str:
        """A restore: the id of the deleted object it brought back."""
        if self.action == Action.RESTORE and self.logged_id != self.object_id:
            return self.logged_id
        return ""

    @property
    def restored_from_url(self) -> str:
        """The audit log filtered by the deleted object's id (its history before the restore)."""
        return _log_url(self.restored_from) if self.restored_from else ""

    @property
    def restored_as_url(self) -> str:
        return _log_url(self.restored_as) if self.restored_as else ""

    @cached_property
    def diff(self) -> Diff:
        return entry_diff(self)

    @property
    def summary(self) -> str:
        return self.diff.summary


def _log_url(object_id: str) -> str:
    return reverse("audit:list") + "?" + urlencode({"q": object_id})


def with_outcomes(qs: QuerySet) -> QuerySet:
    """`qs` with each intent's outcome rows prefetched (as `outcome_rows`, for to_item)."""
    return qs.prefetch_related(
        Prefetch("outcomes", queryset=AuditEntry.objects.order_by("seq"), to_attr="outcome_rows")
    )


def to_item(entry: AuditEntry, *, now: datetime | None = None) -> HistoryItem:
    """Merge an intent/event with its outcome rows (prefetched as `outcome_rows`, or queried)."""
    rows = getattr(entry, "outcome_rows", None)
    if rows is None:
        rows = list(AuditEntry.objects.filter(completes=entry.seq).order_by("seq"))
    last = rows[-1] if rows else None
    answered_after = next((r.after for r in reversed(rows) if r.after is not None), None)
    outcome = last.outcome if last else entry.outcome
    now = now or timezone.now()
    return HistoryItem(
        seq=entry.seq,
        time=entry.time,
        actor_id=entry.actor_id,
        actor_username=entry.actor_username,
        action=entry.action,
        object_type=entry.object_type,
        object_id=next((r.object_id for r in reversed(rows) if r.object_id), entry.object_id),
        object_name=last.object_name if last and last.object_name else entry.object_name,
        before=entry.before,
        after=entry.after,
        effective_after=(
            None
            if entry.action == Action.DELETE
            else answered_after
            if answered_after is not None
            else entry.after
        ),
        outcome=outcome,
        status=last.upstream_status if last else entry.upstream_status,
        message=last.upstream_message if last else entry.upstream_message,
        outcome_time=last.time if last else None,
        outcomes=tuple(
            OutcomeRecord(
                r.seq, r.time, r.outcome, r.upstream_status, r.upstream_message, r.actor_username
            )
            for r in rows
        ),
        request_id=entry.request_id,
        ip=entry.ip,
        user_agent=entry.user_agent,
        reason=entry.reason,
        hash=entry.hash,
        is_stale=outcome == Outcome.PENDING and entry.time < now - stale_after(),
        logged_id=entry.object_id,
    )


def succeeded() -> Exists:
    """Intents with a successful outcome row."""
    return Exists(AuditEntry.objects.filter(completes=OuterRef("seq"), outcome=Outcome.SUCCESS))


def _restores(items: list[HistoryItem]) -> dict[tuple[str, str], str]:
    """(type, deleted id) → the new id of its successful restore, for the deletes in items."""
    deleted = {
        (i.object_type, i.object_id)
        for i in items
        if i.action == Action.DELETE and i.outcome == Outcome.SUCCESS and i.object_id
    }
    if not deleted:
        return {}
    restores = with_outcomes(
        AuditEntry.objects.filter(
            action=Action.RESTORE,
            completes__isnull=True,
            object_id__in={object_id for _, object_id in deleted},
        )
        .filter(succeeded())
        .order_by("seq")
    )
    found = {}
    for entry in restores:
        item = to_item(entry)
        if (item.object_type, item.logged_id) in deleted and item.restored_from:
            found[(item.object_type, item.logged_id)] = item.object_id
    return found


def _linked(items: list[HistoryItem]) -> list[HistoryItem]:
    restores = _restores(items)
    if not restores:
        return items
    return [
        replace(i, restored_as=restores[(i.object_type, i.object_id)])
        if i.action == Action.DELETE and (i.object_type, i.object_id) in restores
        else i
        for i in items
    ]


def items_of(qs: QuerySet) -> list[HistoryItem]:
    """The merged items of a queryset of intents/events, deletes linked to their restores."""
    now = timezone.now()
    return _linked([to_item(e, now=now) for e in with_outcomes(qs)])


def object_q(object_id: str, object_type: str = "") -> Q:
    """Intents about the object with this id, including creates (whose id is on the answer).
    With its type the (type, id, seq) index finds the outcomes (else every row is read)."""
    completed = AuditEntry.objects.filter(object_id=object_id, completes__isnull=False)
    if object_type:
        completed = completed.filter(object_type=object_type)
    return Q(object_id=object_id) | Q(seq__in=completed.values("completes_id"))


def object_history(*, object_type: str, object_id: str, limit: int = 200) -> list[HistoryItem]:
    """An object's timeline, newest first, each item with its outcome and diff: the entries of
    object_q, found as two index reads (its intents; the intents its outcomes complete)
    rather than its OR, which SQLite answers by reading every entry of the type."""
    return _object_history(object_type, str(object_id), limit)


def settled(items: list[HistoryItem]) -> bool:
    """No item still waits for its outcome: what is shown of them stays as it is until the
    log moves (a pending one reads "No answer recorded" once it is old enough)."""
    return not any(i.outcome == Outcome.PENDING for i in items)


def _object_history(object_type: str, object_id: str, limit: int) -> list[HistoryItem]:
    mine = AuditEntry.objects.filter(object_type=object_type, object_id=object_id)
    direct = mine.filter(completes__isnull=True).values_list("seq", flat=True)
    answered = mine.filter(completes__isnull=False).values_list("completes_id", flat=True)
    seqs = sorted({*direct, *answered}, reverse=True)[:limit]
    qs = AuditEntry.objects.filter(
        seq__in=seqs, object_type=object_type, completes__isnull=True
    ).order_by("-seq")
    return items_of(qs)


def last_known_state(*, object_type: str, object_id: str) -> dict | None:
    """The object's state after its latest successful write (for a delete: the state it had
    when deleted). None when no successful write is logged."""
    entry = (
        AuditEntry.objects.filter(
            object_q(str(object_id), object_type), object_type=object_type, completes__isnull=True
        )
        .filter(succeeded())
        .order_by("-seq")
        .first()
    )
    if entry is None:
        return None
    item = to_item(entry)
    return item.before if item.action == Action.DELETE else item.effective_after


def version_state(*, object_type: str, object_id: str, entry_id: int) -> dict | None:
    """The object as one successful write of it left it (for revert), or None when the entry
    is not a successful write of this object."""
    item = version_item(object_type=object_type, object_id=object_id, entry_id=entry_id)
    return item.effective_after if item else None


def version_item(*, object_type: str, object_id: str, entry_id: int) -> HistoryItem | None:
    """The successful write of this object that made a version (its state, time and author),
    or None when the entry is not one (a delete made none)."""
    entry = (
        AuditEntry.objects.filter(
            object_q(str(object_id), object_type),
            object_type=object_type,
            completes__isnull=True,
            seq=entry_id,
        )
        .filter(succeeded())
        .first()
    )
    if entry is None:
        return None
    item = to_item(entry)
    return None if item.action == Action.DELETE else item


def recent_entries(*, limit: int = 10) -> list[HistoryItem]:
    """The latest changes to trackers and groups (sign-in events left out), newest first."""
    qs = AuditEntry.objects.filter(completes__isnull=True, action__in=list(WRITE_ACTIONS))
    return items_of(qs.order_by("-seq")[:limit])


def _gone(items: list[HistoryItem]) -> set[tuple[str, str]]:
    """(type, id) of the items' objects that a successful delete removed."""
    ids = {i.object_id for i in items if i.object_id}
    deletes = (
        AuditEntry.objects.filter(action=Action.DELETE, completes__isnull=True, object_id__in=ids)
        .filter(succeeded())
        .values_list("object_type", "object_id")
    )
    return set(deletes) if ids else set()


# Object types with pages that are not a contract resource (issue 24: conversations).
_OTHER_SECTIONS = {"conversation": "conversations"}


def recent_changes(*, user, limit: int = 10) -> list[HistoryItem]:
    """recent_entries() for one viewer: each item's object_url is the object's own page when
    the viewer may view that kind of object and the object still exists, else empty."""
    items = recent_entries(limit=limit)
    gone = _gone(items)
    result = []
    for item in items:
        spec = contract.spec_for(item.object_type)
        section = spec.plural if spec is not None else _OTHER_SECTIONS.get(item.object_type)
        viewable = section is not None and user.has_perm(f"accounts.view_{section}")
        if viewable and item.object_id and (item.object_type, item.object_id) not in gone:
            item = replace(item, object_url=f"/{section}/{quote(item.object_id, safe='')}/")
        result.append(item)
    return result


def entry_by_seq(seq: int) -> AuditEntry | None:
    return AuditEntry.objects.filter(seq=seq).first()


def entry_item(entry: AuditEntry) -> HistoryItem:
    """One entry merged with its outcomes, a delete linked to its later restore."""
    return _linked([to_item(entry)])[0]


def request_siblings(entry: AuditEntry, *, limit: int = 100) -> list[HistoryItem]:
    """The other entries written by the same request (a bulk operation's other objects)."""
    qs = (
        AuditEntry.objects.filter(request_id=entry.request_id, completes__isnull=True)
        .exclude(seq=entry.seq)
        .order_by("seq")[:limit]
    )
    return items_of(qs)
