"""Audit table layer: the audit log screen's filters, keyset pages, exports and actor list.

Reads only. Rows are intents and events; their outcome rows are merged in (selectors.to_item),
never listed on their own. The unfiltered total, the outcome-record count and the actors come
from the log's count tables (counts.py: one read at any length of log); only a filtered total
counts the matching entries.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from . import counts
from .models import FINAL_OUTCOMES, AuditEntry, Outcome
from .selectors import HistoryItem, object_q, to_item, with_outcomes

COUNT_CAP = 10_000


@dataclass(frozen=True)
class EntryFilters:
    actor: str = ""  # part of a username, any case
    action: str = ""
    object_type: str = ""
    outcome: str = ""
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""  # part of an object's name, or its exact id
    zone: str = ""  # the IANA zone the dates are days of ("": the dashboard's TIME_ZONE)


def outcome_filter(outcome: str) -> Q:
    """Rows whose merged outcome is `outcome` (outcome rows are appended, never updated)."""
    outcomes = AuditEntry.objects.filter(completes=OuterRef("seq"))
    final = Exists(outcomes.filter(outcome__in=list(FINAL_OUTCOMES)))
    if outcome in FINAL_OUTCOMES:
        # A final outcome is never superseded; events carry their outcome themselves.
        return Exists(outcomes.filter(outcome=outcome)) | Q(outcome=outcome, completes__isnull=True)
    if outcome == Outcome.UNKNOWN:
        return Exists(outcomes.filter(outcome=Outcome.UNKNOWN)) & ~final
    if outcome == Outcome.PENDING:
        return Q(outcome=Outcome.PENDING) & ~Exists(outcomes)
    return Q(pk__in=[])


def filtered_entries(filters: EntryFilters) -> QuerySet:
    """Intents and events matching the filters (outcome rows are merged, not listed)."""
    qs = AuditEntry.objects.filter(completes__isnull=True)
    if filters.actor:
        qs = qs.filter(actor_username__icontains=filters.actor)
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.outcome:
        qs = qs.filter(outcome_filter(filters.outcome))
    tz = ZoneInfo(filters.zone) if filters.zone else timezone.get_current_timezone()
    if filters.date_from:
        start = datetime.combine(filters.date_from, datetime.min.time(), tzinfo=tz)
        # The seq bound lets the database walk the primary key instead of sorting a time
        # range (10x faster on a wide range); MIN keeps it exact even if the clock stepped back.
        low = AuditEntry.objects.filter(time__gte=start).aggregate(m=Min("seq"))["m"]
        qs = qs.filter(time__gte=start, seq__gte=low if low is not None else 2**62)
    if filters.date_to:
        end = datetime.combine(filters.date_to, datetime.max.time(), tzinfo=tz)
        high = AuditEntry.objects.filter(time__lte=end).aggregate(m=Max("seq"))["m"]
        qs = qs.filter(time__lte=end, seq__lte=high if high is not None else 0)
    if filters.q:
        # By id too, so a restored object's old id finds the history it had under that id.
        qs = qs.filter(Q(object_name__icontains=filters.q) | object_q(filters.q))
    return qs


@dataclass(frozen=True)
class EntryPage:
    items: list[HistoryItem]
    newer_cursor: int | None  # pass as ?after= for the newer page
    older_cursor: int | None  # pass as ?before= for the older page
    total: int  # capped at COUNT_CAP
    total_capped: bool

    @classmethod
    def empty(cls) -> EntryPage:
        """No rows at all (the filters could not be read)."""
        return cls(items=[], newer_cursor=None, older_cursor=None, total=0, total_capped=False)


def entry_page(
    filters: EntryFilters, *, before: int | None = None, after: int | None = None, size: int = 50
) -> EntryPage:
    """One page of the table, newest first, by keyset on seq (fast at any depth)."""
    qs = filtered_entries(filters)
    if after is not None:
        rows = list(with_outcomes(qs.filter(seq__gt=after).order_by("seq")[: size + 1]))
        more_newer = len(rows) > size
        rows = list(reversed(rows[:size]))
        more_older = bool(rows) and qs.filter(seq__lt=rows[-1].seq).exists()
    else:
        base = qs.filter(seq__lt=before) if before is not None else qs
        rows = list(with_outcomes(base.order_by("-seq")[: size + 1]))
        more_older = len(rows) > size
        rows = rows[:size]
        more_newer = before is not None and bool(rows) and qs.filter(seq__gt=rows[0].seq).exists()
    now = timezone.now()
    total = matching_count(filters, cap=COUNT_CAP)
    return EntryPage(
        items=[to_item(e, now=now) for e in rows],
        newer_cursor=rows[0].seq if rows and more_newer else None,
        older_cursor=rows[-1].seq if rows and more_older else None,
        total=min(total, COUNT_CAP),
        total_capped=total > COUNT_CAP,
    )


def export_items(filters: EntryFilters, *, chunk_size: int = 500) -> Iterator[HistoryItem]:
    """Every matching item, newest first, streamed from the database in chunks."""
    qs = with_outcomes(filtered_entries(filters).order_by("-seq"))
    now = timezone.now()
    for entry in qs.iterator(chunk_size=chunk_size):
        item = to_item(entry, now=now)
        # The prefetched outcomes point back at their intent (a reference cycle): broken
        # here, each entry is freed at once instead of at the next full garbage collection
        # (a 100,000-entry export otherwise held all of them: 80 MB).
        entry.__dict__.pop("outcome_rows", None)
        yield item


def export_count(filters: EntryFilters) -> int:
    """How many items export_items would give (a COUNT of the matching entries when filtered:
    tens of ms at 100,000 entries)."""
    return matching_count(filters)


def matching_count(filters: EntryFilters, *, cap: int | None = None) -> int:
    """How many intents and events match: read from the count tables when unfiltered, else
    counted (past `cap`, cap + 1: enough to say "more than")."""
    if filters == EntryFilters() and (found := counts.totals()) is not None:
        return found.listed if cap is None else min(found.listed, cap + 1)
    qs = filtered_entries(filters).order_by()
    return (qs if cap is None else qs[: cap + 1]).count()


def actor_choices(limit: int = 200) -> list[str]:
    """The usernames the log names as actors (deleted accounts and system names included),
    for the "Who" filter's suggestions."""
    found = counts.actors(limit)
    if found is not None:
        return found
    actors = (
        AuditEntry.objects.exclude(actor_username="")
        .order_by("actor_username")
        .values_list("actor_username", flat=True)
        .distinct()[:limit]
    )
    return list(actors)


def outcome_record_count() -> int:
    """How many rows of the log are outcome records (numbered, but shown inside their entry)."""
    found = counts.totals()
    if found is not None:
        return found.outcomes
    return AuditEntry.objects.filter(completes__isnull=False).count()
