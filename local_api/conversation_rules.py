"""Local Management API server: the rules of the conversation endpoints' bodies and queries.

What the hosted Async API accepted is accepted here: booleans sent as the strings "true" and
"false" (Symbl's own Python snippet sends `"detectPhrases": "true"`), a `confidenceThreshold`
as a number or a numeric string, and keys this server does not act on (entities,
detectEntities, enableSummary, webhookUrl, ...) are ignored, as the contract ignores unknown
keys. Every refusal is a RuleBroken naming the field or parameter at fault (answered 400).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from local_api.validation import RuleBroken, json_type, tracker_fields
from symbl_admin import rsql
from symbl_admin.contract import (
    CONVERSATION_LIMIT_DEFAULT,
    CONVERSATION_LIMIT_MAX,
    CONVERSATION_WINDOW_DAYS,
    MAX_METADATA_KEY,
    MAX_METADATA_KEYS,
    MAX_METADATA_VALUE,
)

MAX_NAME = 1024
FLAGS = ("detectPhrases", "enableAllTrackers", "detectEntities", "enableSummary")
_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)
OPEN = 1e15  # seconds: a bound no instant reaches (SQLite and PostgreSQL both take it)
SORT_FIELDS = {"startTime": "start_epoch", "endTime": "end_epoch", "name": "name", "id": "id"}


def parse_instant(text: str) -> datetime | None:
    """An ISO 8601 date or date-time as an aware UTC datetime (no zone: UTC), or None."""
    text = text.strip()
    if not _ISO.fullmatch(text):
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def iso(moment: datetime) -> str:
    """A UTC instant as the API writes it: 2026-11-28T09:15:02.123Z."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RuleBroken(f'"{where}" must be a JSON object, not {json_type(value)}.', where)
    return value


def _optional_string(body: dict[str, Any], key: str, where: str, limit: int = MAX_NAME) -> str:
    value = body.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RuleBroken(f'"{where}" must be a string, not {json_type(value)}.', where)
    if len(value) > limit:
        raise RuleBroken(f'"{where}" is {len(value)} characters; the most is {limit}.', where)
    return value


def flag(body: dict[str, Any], key: str) -> bool:
    """A boolean option: true/false, or the strings "true"/"false" (any case)."""
    value = body.get(key)
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise RuleBroken(f'"{key}" must be true or false, not {value!r}.', key)


def confidence(body: dict[str, Any]) -> float:
    value = body.get("confidenceThreshold")
    if value is None:
        return 0.5
    try:
        number = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError):
        number = math.nan
    if not 0.0 <= number <= 1.0:
        raise RuleBroken(
            f'"confidenceThreshold" must be a number from 0.0 to 1.0, not {value!r}.',
            "confidenceThreshold",
        )
    return number


def metadata(value: Any, where: str = "metadata") -> dict[str, str]:
    """A flat object of string keys to string values, within the contract's bounds."""
    value = _object(value, where)
    if len(value) > MAX_METADATA_KEYS:
        raise RuleBroken(
            f'"{where}" has {len(value)} keys; the most is {MAX_METADATA_KEYS}.', where
        )
    for key, item in value.items():
        if not key.strip() or len(key) > MAX_METADATA_KEY:
            raise RuleBroken(
                f'"{where}" keys must be 1 to {MAX_METADATA_KEY} characters ({key[:40]!r}).', where
            )
        if not isinstance(item, str):
            raise RuleBroken(
                f'"{where}.{key}" must be a string, not {json_type(item)} (metadata is flat: '
                "string keys to string values).",
                where,
            )
        if len(item) > MAX_METADATA_VALUE:
            raise RuleBroken(
                f'"{where}.{key}" is {len(item)} characters; the most is {MAX_METADATA_VALUE}.',
                where,
            )
    return dict(value)


def _duration(message: dict[str, Any], where: str) -> tuple[str, str]:
    duration = message.get("duration")
    if duration is None:
        return "", ""
    duration = _object(duration, f"{where}.duration")
    found = []
    for key in ("startTime", "endTime"):
        value = duration.get(key)
        if value is None:
            found.append(None)
            continue
        moment = parse_instant(value) if isinstance(value, str) else None
        if moment is None:
            raise RuleBroken(
                f'"{where}.duration.{key}" must be an ISO 8601 date-time, not {value!r}.', where
            )
        found.append(moment)
    start, end = found
    if start and end and end < start:
        raise RuleBroken(f'"{where}.duration" ends before it starts.', where)
    return (iso(start) if start else "", iso(end) if end else "")


def _message(value: Any, index: int) -> dict[str, Any]:
    where = f"messages[{index}]"
    message = _object(value, where)
    payload = _object(message.get("payload"), f"{where}.payload")
    content = payload.get("content")
    if not isinstance(content, str) or not content.strip():
        raise RuleBroken(f'"{where}.payload.content" is required: the text, a string.', where)
    kind = payload.get("contentType", "text/plain")
    if kind != "text/plain":
        raise RuleBroken(f'"{where}.payload.contentType" must be "text/plain".', where)
    speaker = _object(message.get("from") or {}, f"{where}.from")
    start, end = _duration(message, where)
    return {
        "content": content,
        "from": {
            key: _optional_string(speaker, key, f"{where}.from.{key}")
            for key in ("name", "userId")
            if speaker.get(key) is not None
        },
        "startTime": start,
        "endTime": end,
    }


def text_job(body: Any) -> dict[str, Any]:
    """The job payload of a valid POST/PUT /v1/process/text body.

    Raises:
        RuleBroken: which field breaks which rule.
    """
    body = _object(body, "the body")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise RuleBroken('"messages" is required: a non-empty list of messages.', "messages")
    trackers = body.get("trackers")
    if trackers is not None and not isinstance(trackers, list):
        raise RuleBroken('"trackers" must be a list of {"name", "vocabulary"}.', "trackers")
    checked_trackers = []
    for index, tracker in enumerate(trackers or []):
        try:
            fields = tracker_fields(tracker)
        except RuleBroken as error:
            raise RuleBroken(f"trackers[{index}]: {error.message}", "trackers") from None
        if any(kept["name"] == fields["name"] for kept in checked_trackers):
            raise RuleBroken(
                f'trackers[{index}]: the name "{fields["name"]}" is given twice; each inline '
                "tracker needs its own name (its id in the results is made per name).",
                "trackers",
            )
        checked_trackers.append(
            {
                "name": fields["name"],
                "vocabulary": fields["vocabulary"],
                "excludeVocabulary": fields["excludeVocabulary"],
            }
        )
    options = {key: flag(body, key) for key in FLAGS}
    return {
        "name": _optional_string(body, "name", "name"),
        "conversationType": _optional_string(body, "conversationType", "conversationType"),
        "messages": [_message(item, index) for index, item in enumerate(messages)],
        "metadata": metadata(body["metadata"]) if body.get("metadata") is not None else None,
        "trackers": checked_trackers,
        "confidenceThreshold": confidence(body),
        **options,
    }


def metadata_update(body: Any) -> dict[str, str]:
    """The new metadata of a valid PUT /v1/conversations/{id} body.

    Raises:
        RuleBroken: no "metadata" object, or it breaks the metadata rules.
    """
    body = _object(body, "the body")
    if "metadata" not in body:
        raise RuleBroken('"metadata" is required: an object of string keys to strings.', "metadata")
    return metadata(body["metadata"])


@dataclass(frozen=True)
class ListQuery:
    """The query of a conversation list: window, order, page and an optional filter."""

    start: float
    end: float
    order: str = "asc"
    sort: tuple[str, ...] = ("start_epoch",)
    limit: int = CONVERSATION_LIMIT_DEFAULT
    offset: int = 0
    filter: rsql.Node | None = None


def _one(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise RuleBroken(f'The query parameter "{name}" is given {len(values)} times.', name)
    return values[0]


def _integer(query: dict[str, list[str]], name: str, default: int, most: int) -> int:
    text = _one(query, name)
    if text is None:
        return default
    if not (text.strip().isascii() and text.strip().isdigit()) or int(text) > most:
        raise RuleBroken(f'"{name}" must be a whole number from 0 to {most}, not {text!r}.', name)
    return int(text)


def _instant(query: dict[str, list[str]], name: str) -> datetime | None:
    text = _one(query, name)
    if text is None:
        return None
    moment = parse_instant(text)
    if moment is None:
        raise RuleBroken(f'"{name}" must be an ISO 8601 date-time, not {text!r}.', name)
    return moment


def _sort(text: str | None) -> tuple[str, ...]:
    if text is None or not text.strip():
        return ("start_epoch",)
    columns = []
    for part in text.split(","):
        field = part.strip().removeprefix("conversation.")
        if field not in SORT_FIELDS:
            raise RuleBroken(
                f'"sort" takes conversation.startTime, endTime, name or id, not {part.strip()!r}.',
                "sort",
            )
        columns.append(SORT_FIELDS[field])
    return tuple(columns)


def list_filter(text: str, name: str = "filter") -> rsql.Node:
    """A `filter`: RSQL without OR, at most 2 selectors."""
    try:
        node = rsql.validate_criteria(text)
    except rsql.RSQLError as error:
        raise RuleBroken(f'"{name}": {error}', name) from None
    if _has_or(node):
        raise RuleBroken(f'"{name}" cannot use OR ("," or "or"); combine with ";" only.', name)
    return node


def _has_or(node: rsql.Node) -> bool:
    if isinstance(node, rsql.Or):
        return True
    return isinstance(node, rsql.And) and any(_has_or(item) for item in node.items)


def window(query: dict[str, list[str]], *, all_time: bool = False) -> tuple[float, float]:
    """(start, end) as epoch seconds: the documented default is the 7 days ending now;
    `all_time` (our extensions) makes a missing bound open."""
    start, end = _instant(query, "startTime"), _instant(query, "endTime")
    if start and end and start >= end:
        raise RuleBroken('"startTime" must be before "endTime".', "startTime")
    if all_time:
        return (start.timestamp() if start else -OPEN, end.timestamp() if end else OPEN)
    end = end or datetime.now(UTC)
    start = start or end - timedelta(days=CONVERSATION_WINDOW_DAYS)
    return start.timestamp(), end.timestamp()


def list_query(query: dict[str, list[str]], *, all_time: bool = False) -> ListQuery:
    """The list query of GET /v1/conversations and /v1/groups/{id}/conversations.

    Raises:
        RuleBroken: naming the parameter at fault.
    """
    order = (_one(query, "order") or "asc").strip().lower()
    if order not in ("asc", "desc"):
        raise RuleBroken(f'"order" must be asc or desc, not {order!r}.', "order")
    text = _one(query, "filter")
    start, end = window(query, all_time=all_time)
    return ListQuery(
        start=start,
        end=end,
        order=order,
        sort=_sort(_one(query, "sort")),
        limit=_integer(query, "limit", CONVERSATION_LIMIT_DEFAULT, CONVERSATION_LIMIT_MAX),
        offset=_integer(query, "offset", 0, 2**31),
        filter=list_filter(text) if text and text.strip() else None,
    )
