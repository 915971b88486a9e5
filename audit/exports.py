"""Audit export layer: the filtered log's rows (CSV or .xlsx through core.exports) and JSON,
streamed without loading the log into memory. Beside the raw before/after JSON, each write
says in words what it changed (what_changed, from audit.diff as the screens show it)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from symbl_admin.exports import batched

from .diff import change_words
from .selectors import HistoryItem

COLUMNS = [
    "seq",
    "time",
    "actor",
    "action",
    "object_type",
    "object_id",
    "object_name",
    "outcome",
    "upstream_status",
    "upstream_message",
    "outcome_time",
    "request_id",
    "ip",
    "user_agent",
    "reason",
    "what_changed",
    "before",
    "after",
    "hash",
]


def _iso(value) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ") if value else ""


def as_record(item: HistoryItem) -> dict:
    """One exported row: the merged entry, before/after as JSON values."""
    return {
        "seq": item.seq,
        "time": _iso(item.time),
        "actor": item.actor_username,
        "action": item.action,
        "object_type": item.object_type,
        "object_id": item.object_id,
        "object_name": item.object_name,
        "outcome": item.outcome,
        "upstream_status": item.status,
        "upstream_message": item.message,
        "outcome_time": _iso(item.outcome_time),
        "request_id": item.request_id,
        "ip": item.ip,
        "user_agent": item.user_agent,
        "reason": item.reason,
        "what_changed": change_words(item.diff) if item.is_write else "",
        "before": item.before,
        "after": item.effective_after,
        "hash": item.hash,
    }


def rows(items: Iterable[HistoryItem]) -> Iterator[list]:
    """The exported rows under COLUMNS (written as CSV or .xlsx by core.exports)."""
    for item in items:
        record = as_record(item)
        yield [record[c] for c in COLUMNS]


def json_chunks(items: Iterable[HistoryItem]) -> Iterator[str]:
    """A JSON array, streamed in batches of elements."""

    def pieces() -> Iterator[str]:
        yield "["
        first = True
        for item in items:
            yield ("\n" if first else ",\n") + json.dumps(as_record(item), ensure_ascii=False)
            first = False
        yield "\n]\n"

    return batched(pieces())
