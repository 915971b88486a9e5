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

from django.db import connection
from django.db.models import Count, Max, Q

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
    """Count these newly appended entries. Call only inside chain's write lock.

    One UPDATE per row touched (a sign-in: two), in plain SQL (the ORM spent ten times the
    statements' own time building them, on every sign-in). The totals move on only from the
    entry before these; otherwise (the log's first entries, or tables out of step with the
    log) both tables are made again from the log.
    """
    if not entries:
        return
    outcomes = sum(1 for e in entries if e.completes_id is not None)
    quote = connection.ops.quote_name
    totals_table, actors_table = quote(LogCount._meta.db_table), quote(ActorCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {totals_table} SET up_to = %s, entries = entries + %s, outcomes = outcomes + %s"  # noqa: S608
            " WHERE id = 1 AND up_to = %s",
            [entries[-1].seq, len(entries), outcomes, entries[0].seq - 1],
        )
        if cursor.rowcount != 1:  # the log's first entries, or out of step: count it all
            rebuild()
            return
        new = {}
        for name, n in Counter(e.actor_username for e in entries if e.actor_username).items():
            cursor.execute(
                f"UPDATE {actors_table} SET entries = entries + %s WHERE actor_username = %s",  # noqa: S608
                [n, name],
            )
            if cursor.rowcount != 1:
                new[name] = n
    _save_actors(ActorCount, new)


def _save_actors(model, counts: dict[str, int]) -> None:
    model.objects.bulk_create(
        [model(actor_username=name, entries=n) for name, n in counts.items()], batch_size=500
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
