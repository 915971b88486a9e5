"""Audit counts layer: how many entries the log holds, how many are outcome records, and how
many name each actor, read from tables (models.LogCount, models.ActorCount).

The tables are an index of the log: audit.chain calls `record` (registered in apps.py) in the
same transaction as the entries it appends, so they are never behind the log, and the audit
page's totals and "Who" suggestions are one indexed read at any length of log instead of a
count over every entry. `rebuild` makes them again from the whole log (migration 0005,
`manage.py rebuild_audit_counts`).

A reader checks the totals against the log's head: tables out of step with it (rows written
around the chain) are not used; the caller counts the log instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, F, Max, Q

from .head import head
from .models import ActorCount, AuditEntry, LogCount


@dataclass(frozen=True)
class Totals:
    entries: int  # every row of the log
    outcomes: int  # outcome records: numbered, but shown inside the entry they complete

    @property
    def listed(self) -> int:
        """Intents and events: the rows the audit table lists (unfiltered total)."""
        return self.entries - self.outcomes


# ---------------------------------------------------------------------------------------------
# Keeping the tables (inside the append's transaction)


def record(entries: Sequence[AuditEntry]) -> None:
    """Count these newly appended entries. Call only inside chain's write lock."""
    if not entries:
        return
    row = LogCount.objects.filter(pk=1).first()
    if (row.up_to if row else 0) != entries[0].seq - 1:
        rebuild()  # out of step with the log (rows written around the chain): count it all
        return
    outcomes = sum(1 for e in entries if e.completes_id is not None)
    last = entries[-1].seq
    if row is None:
        LogCount.objects.create(pk=1, up_to=last, entries=len(entries), outcomes=outcomes)
    else:
        LogCount.objects.filter(pk=1).update(
            up_to=last, entries=F("entries") + len(entries), outcomes=F("outcomes") + outcomes
        )
    named = Counter(e.actor_username for e in entries if e.actor_username)
    known = dict(
        ActorCount.objects.filter(actor_username__in=list(named)).values_list(
            "actor_username", "entries"
        )
    )
    _save_actors(ActorCount, {name: known.get(name, 0) + n for name, n in named.items()})


def _save_actors(model, counts: dict[str, int]) -> None:
    model.objects.bulk_create(
        [model(actor_username=name, entries=n) for name, n in counts.items()],
        update_conflicts=True,
        unique_fields=["actor_username"],
        update_fields=["entries"],
        batch_size=500,
    )


def rebuild(entry_model=AuditEntry, totals_model=LogCount, actor_model=ActorCount) -> Totals:
    """Make the tables again from the whole log (two aggregate queries). Returns the totals."""
    found = entry_model.objects.aggregate(
        up_to=Max("seq", default=0),
        entries=Count("seq"),
        outcomes=Count("seq", filter=Q(completes__isnull=False)),
    )
    totals_model.objects.all().delete()
    totals_model.objects.create(pk=1, **found)
    per_actor = (
        entry_model.objects.exclude(actor_username="")
        .order_by()
        .values_list("actor_username")
        .annotate(n=Count("seq"))
    )
    actor_model.objects.all().delete()
    _save_actors(actor_model, dict(per_actor))
    return Totals(found["entries"], found["outcomes"])


# ---------------------------------------------------------------------------------------------
# Reading


def totals() -> Totals | None:
    """The log's totals (one read), or None when the tables are not at the log's head."""
    row = LogCount.objects.filter(pk=1).values_list("up_to", "entries", "outcomes").first()
    at = head()
    if (row[0] if row else 0) != (at[0] if at else 0):
        return None
    return Totals(row[1], row[2]) if row else Totals(0, 0)


def actors(limit: int) -> list[str] | None:
    """The first `limit` actor usernames the log names, in the database's name order (None
    when the tables are not at the log's head)."""
    if totals() is None:
        return None
    names = ActorCount.objects.order_by("actor_username").values_list("actor_username", flat=True)
    return list(names[:limit])
