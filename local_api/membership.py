"""Local Management API server: which conversations criteria select, as SQL.

A group's criteria (and a list's `filter`) are parsed by the RSQL grammar the dashboard uses
(symbl_admin.rsql) and turned into a WHERE clause over the conversations tables, so the
database's indexes do the work: a metadata comparison is a sub-select on
conversation_metadata's (key, value), (key, num) or (key, instant) index, a field comparison
a test on the conversations row.

Values compare as numbers when both sides are numbers, as instants when both are ISO 8601
dates, else as strings (the contract): each metadata value is stored with its number and its
instant (NULL when it is not one), and a comparison picks the column by what the criteria's
value is. A conversation without the key is selected by no comparison on it (`!=` and
`=out=` included), as a SQL NULL would not be. A selector naming no conversation field
selects nothing. Placeholders are `?`, which both stores speak.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from local_api.conversation_rules import parse_instant
from symbl_admin import rsql

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
METADATA = "conversation.metadata."
# conversation.<field> → (text column, instant column or None)
FIELDS = {
    "id": ("c.id", None),
    "name": ("c.name", None),
    "type": ("c.type", None),
    "startTime": ("c.start_time", "c.start_epoch"),
    "endTime": ("c.end_time", "c.end_epoch"),
}
ORDERING = {
    "=gt=": ">",
    "=ge=": ">=",
    "=lt=": "<",
    "=le=": "<=",
    ">": ">",
    ">=": ">=",
    "<": "<",
    "<=": "<=",
}


class Unsupported(ValueError):
    """Criteria this server cannot evaluate (an operator outside the contract's list)."""


def as_number(text: str) -> float | None:
    """The value as a number when it is one (finite), else None."""
    if not _NUMBER.fullmatch(text.strip()):
        return None
    number = float(text)
    return number if math.isfinite(number) else None


def as_instant(text: str) -> float | None:
    """The value as epoch seconds when it is an ISO 8601 date (and not a number), else None."""
    if as_number(text) is not None:
        return None
    moment = parse_instant(text)
    return moment.timestamp() if moment else None


#: How a metadata comparison is tested is chosen per page (ConversationStore._prober): as a
#: set of conversations to start from ("in": the rows are found through it, then sorted)
#: or per conversation ("exists": a lookup on each conversation read, in page order or
#: from another comparison's set). Without a probe every comparison is a set.
Probe = Callable[[str, list[Any]], str]  # (SELECT of conversation_seq, params) -> form


def where(node: rsql.Node, probe: Probe | None = None) -> tuple[str, list[Any]]:
    """The SQL condition (over `conversations c`) for criteria, and its parameters. `probe`
    counts a metadata comparison's rows (up to DENSE_ROWS) to choose its form (see above);
    without it every comparison is a set.

    Raises:
        Unsupported: an operator outside the contract's list.
    """
    if isinstance(node, rsql.Comparison):
        return _comparison(node, probe)
    parts = [where(item, probe) for item in node.items]
    joiner = " AND " if isinstance(node, rsql.And) else " OR "
    return joiner.join(f"({sql})" for sql, _ in parts), [p for _, ps in parts for p in ps]


def _comparison(node: rsql.Comparison, probe: Probe | None) -> tuple[str, list[Any]]:
    if node.selector.startswith(METADATA):
        return _metadata(node, probe)
    field = node.selector.removeprefix("conversation.")
    if field not in FIELDS:
        return "1 = 0", []
    text, instant = FIELDS[field]
    return _test(node.op, node.values, text, None, instant)


def _metadata(node: rsql.Comparison, probe: Probe | None) -> tuple[str, list[Any]]:
    key = node.selector[len(METADATA) :]
    rows = "SELECT m.conversation_seq FROM conversation_metadata m WHERE m.key = ? AND"
    test, params = _test(node.op, node.values, "m.value", "m.num", "m.instant")
    if node.op in ("!=", "=out="):  # rows with the key whose value is none of the values
        union, union_params = f"{rows} {test}", [key, *params]
    else:  # one index range per branch: (key, num), (key, instant) or (key, value)
        branches = _branches(node.op, node.values)
        union = " UNION ALL ".join(f"{rows} {sql}" for sql, _ in branches)
        union_params = [x for _, ps in branches for x in [key, *ps]]
    if probe is not None and probe(union, union_params) == "exists":
        lookup = "SELECT 1 FROM conversation_metadata m WHERE m.conversation_seq = c.seq AND"  # noqa: S608
        return f"EXISTS ({lookup} m.key = ? AND ({test}))", [key, *params]
    return f"c.seq IN ({union})", union_params


def _branches(op: str, values: tuple[str, ...]) -> list[tuple[str, list[Any]]]:
    """The index-friendly conditions whose union is a positive comparison's rows."""
    sql_op = "=" if op in ("==", "=in=") else ORDERING.get(op)
    if sql_op is None:
        raise Unsupported(f"The operator {op} is not one this server evaluates.")
    found: list[tuple[str, list[Any]]] = []
    for value in values if sql_op == "=" else values[:1]:
        number, moment = as_number(value), as_instant(value)
        if number is not None:
            found += [
                (f"m.num {sql_op} ?", [number]),
                (f"m.num IS NULL AND m.value {sql_op} ?", [value]),
            ]
        elif moment is not None:
            found += [
                (f"m.instant {sql_op} ?", [moment]),
                (f"m.instant IS NULL AND m.value {sql_op} ?", [value]),
            ]
        else:
            found.append((f"m.value {sql_op} ?", [value]))
    return found


def _test(
    op: str, values: tuple[str, ...], text: str, num: str | None, instant: str | None
) -> tuple[str, list[Any]]:
    if op in ("==", "=in=", "!=", "=out="):
        parts = [_compare("=", value, text, num, instant) for value in values]
        sql = " OR ".join(f"({p})" for p, _ in parts)
        params = [x for _, ps in parts for x in ps]
        return (f"NOT ({sql})" if op in ("!=", "=out=") else sql), params
    if op in ORDERING:
        return _compare(ORDERING[op], values[0], text, num, instant)
    raise Unsupported(f"The operator {op} is not one this server evaluates.")


def _compare(
    sql_op: str, value: str, text: str, num: str | None, instant: str | None
) -> tuple[str, list[Any]]:
    """One comparison with the contract's typing: as numbers, instants or strings."""
    number = as_number(value)
    if number is not None and num is not None:
        return _typed(num, sql_op, text), [number, value]
    moment = as_instant(value)
    if moment is not None and instant is not None:
        return _typed(instant, sql_op, text), [moment, value]
    return f"{text} {sql_op} ?", [value]


def _typed(column: str, sql_op: str, text: str) -> str:
    # Two-valued on purpose (never NULL), so NOT (...) of it stays right for != and =out=.
    return (
        f"(({column} IS NOT NULL AND {column} {sql_op} ?) "
        f"OR ({column} IS NULL AND {text} {sql_op} ?))"
    )
