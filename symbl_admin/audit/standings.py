"""Every object's review standing, kept current from the head of the audit log.

Every page shows the navigation's review count and every list row its review badge; deriving
them from the whole log on each request would read every write ever logged (100,000 entries:
most of a second). A standing is what a badge and the count need: the object's latest
successful write, its latest approval and its latest review. Standings are folded from the log
in seq order and remembered (in this process, and in the shared cache for the other workers),
tagged with the seq and hash of the last entry folded.

Never stale: the log is append-only, written in seq order and hash-chained, so each read asks
for the head (one query on the primary key): the same seq and hash, and the memo is current;
a longer log whose entry at the memo's seq still has the memo's hash, and only the newer
entries are read; anything else (another database), and the standings are folded afresh.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from django.core.cache import cache
from django.db import connection

from symbl_admin.kept import Kept
from symbl_admin.request_context import current_request_id

from .models import REVIEW_ACTIONS, WRITE_ACTIONS, AuditEntry, Outcome
from .reviews import UNREVIEWED, Review, review_from_row, review_state

CACHE_KEY = "audit:review-standings:v3"
T = TypeVar("T")


@dataclass(frozen=True)
class Standing:
    """One object's review standing (what reviews.ObjectReview derives, without its changes)."""

    object_type: str
    object_id: str
    last_write: int = 0  # seq of the latest successful write's intent
    approval: Review | None = None
    latest: Review | None = None

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


@dataclass(frozen=True)
class _Memo:
    seq: int
    hash: str
    standings: dict[tuple[str, str], Standing]
    queued: tuple[tuple[str, str], ...] = ()  # the keys of those waiting for a review

    @property
    def queue(self) -> int:
        return len(self.queued)


_lock = threading.Lock()
_memo = _Memo(0, "", {})


def _fold(memo: _Memo, head: tuple[int, str]) -> _Memo:
    """memo plus the entries after memo.seq up to head, in seq order."""
    standings = dict(memo.standings)
    window = AuditEntry.objects.filter(seq__gt=memo.seq, seq__lte=head[0])
    writes = (
        window.filter(
            completes__isnull=False, outcome=Outcome.SUCCESS, action__in=list(WRITE_ACTIONS)
        )
        .exclude(object_id="")
        .values_list("object_type", "object_id", "completes_id")
        .iterator(chunk_size=2000)  # a first fold reads every write: stream, do not hold
    )
    for kind, oid, intent in writes:
        old = standings.get((kind, oid)) or Standing(kind, oid)
        standings[(kind, oid)] = replace(old, last_write=max(old.last_write, intent))
    reviews = (
        window.filter(action__in=list(REVIEW_ACTIONS), completes__isnull=True)
        .order_by("seq")
        .values_list(
            "object_type",
            "object_id",
            "seq",
            "time",
            "action",
            "actor_id",
            "actor_username",
            "after",
        )
        .iterator(chunk_size=2000)
    )
    for kind, oid, *rest in reviews:
        review = review_from_row(*rest)
        old = standings.get((kind, oid)) or Standing(kind, oid)
        approval = review if review.approved else old.approval
        standings[(kind, oid)] = replace(old, latest=review, approval=approval)
    queued = tuple(key for key, s in standings.items() if s.in_queue)  # once per fold
    return _Memo(head[0], head[1], standings, queued)


def _current(memo: _Memo, head: tuple[int, str]) -> _Memo | None:
    """memo brought up to head, or None when it is not a prefix of this log."""
    if (memo.seq, memo.hash) == head:
        return memo
    if memo.seq == 0 or memo.seq > head[0]:
        return None
    if not AuditEntry.objects.filter(seq=memo.seq, hash=memo.hash).exists():
        return None
    return _fold(memo, head)


def standings() -> dict[tuple[str, str], Standing]:
    """(type, id) → Standing for every object with a logged write or review."""
    return _current_memo().standings


def _head() -> tuple[int, str] | None:
    """The last entry's seq and hash: read on every page, so plain SQL (the ORM spent ten
    times the query's own time building it), and once per request (a page asks four times):
    the log as the request found it, and as its own writes left it (chain.py forgets it)."""
    request_id = current_request_id.get()
    seen = _seen_head.get()
    if request_id and seen is not None and seen[0] == request_id:
        return seen[1]
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, hash FROM {table} ORDER BY seq DESC LIMIT 1")  # noqa: S608
        row = cursor.fetchone()
    head = (row[0], row[1]) if row else None
    if request_id:
        _seen_head.set((request_id, head))
    return head


_seen_head: contextvars.ContextVar[tuple[str, tuple[int, str] | None] | None] = (
    contextvars.ContextVar("audit_head_seen", default=None)
)


def forget_head() -> None:
    """An entry was appended in this request: the next read asks the database again."""
    _seen_head.set(None)


def _current_memo() -> _Memo:
    global _memo
    head = _head()
    if head is None:
        return _Memo(0, "", {})
    with _lock:
        memo = _current(_memo, head)
        if memo is None:
            shared = cache.get(CACHE_KEY)
            memo = _current(shared, head) if isinstance(shared, _Memo) else None
            if memo is None:
                memo = _fold(_Memo(0, "", {}), head)
            if memo is not shared:
                cache.set(CACHE_KEY, memo, None)
        elif memo is not _memo:
            cache.set(CACHE_KEY, memo, None)
        _memo = memo
        return memo


def review_states(*, object_type: str, object_ids) -> dict[str, Standing]:
    """id → Standing for these objects (one with no logged write reads "unreviewed")."""
    known = standings()
    return {
        str(i): known.get((object_type, str(i))) or Standing(object_type, str(i))
        for i in object_ids
    }


def queue_count() -> int:
    """How many objects wait for a review (the navigation's "Review 3")."""
    return _current_memo().queue


def queued() -> tuple[tuple[str, str], ...]:
    """The (type, id) of every object waiting for a review."""
    return _current_memo().queued


_derived = Kept(64)


def at_head(key: tuple, compute: Callable[[], T], *, into: Kept = _derived) -> T:
    """compute(), a pure function of the log (read after this call reads its head), remembered
    in this process under `key` (in `into`) until the head moves: never stale, as the
    standings."""
    memo = _current_memo()
    return into.get((*key, memo.seq, memo.hash), compute)


def keys_where(predicate) -> set[tuple[str, str]]:
    """The (type, id) of every object whose standing satisfies predicate."""
    return {key for key, s in standings().items() if predicate(s)}
