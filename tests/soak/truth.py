"""Fault soak: check the dashboard's audit log against what the server really did (its write
journal) and what it has now (its data file). Trackers: names and phrases per object."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections import Counter
from pathlib import Path

from tests.support.journal import read_journal

CREATING = {"create", "bulk_create", "import", "restore"}
UPDATING = {"update", "revert"}


def _key(kind: str, object_id: str, state: dict | None) -> tuple:
    if kind == "delete":
        return ("delete", str(object_id))
    state = state or {}
    return (kind, str(object_id), state.get("name"), tuple(state.get("vocabulary") or ()))


def _objects(body) -> list[dict]:
    """The objects of an answer: {"tracker": {...}}, {"trackers": [...]}, a list or one."""
    if isinstance(body, dict) and isinstance(body.get("tracker"), dict):
        return [body["tracker"]]
    if isinstance(body, dict) and isinstance(body.get("trackers"), list):
        return body["trackers"]
    return body if isinstance(body, list) else [body or {}]


def journal_keys(journal: Path) -> list[tuple]:
    """One key per tracker write the server carried out, oldest first."""
    keys = []
    for line in read_journal(journal):
        parts = line["path"].strip("/").split("/")  # v1, manage, tracker(s)[, id]
        if parts[2:3] not in (["tracker"], ["trackers"]):
            continue
        object_id = parts[3] if len(parts) > 3 else ""
        if line["method"] == "DELETE":
            keys.append(_key("delete", object_id, None))
        elif not object_id:
            keys.extend(_key("create", item.get("id"), item) for item in _objects(line["body"]))
        else:
            keys.extend(_key("update", object_id, item) for item in _objects(line["body"]))
    return keys


def audit_successes(audit_db: Path) -> list[tuple]:
    """One key per tracker write the audit log says succeeded, in the log's order."""
    with contextlib.closing(sqlite3.connect(audit_db)) as db:
        intents = db.execute(
            "SELECT seq, action, object_id, after, before FROM audit_auditentry "
            "WHERE completes_id IS NULL AND object_type = 'tracker' ORDER BY seq"
        ).fetchall()
        outcomes: dict[int, tuple] = {}
        for completes, outcome, object_id, after in db.execute(
            "SELECT completes_id, outcome, object_id, after FROM audit_auditentry "
            "WHERE completes_id IS NOT NULL AND outcome IN ('success', 'failed') ORDER BY seq"
        ):
            outcomes[completes] = (outcome, object_id, after)  # the latest final one wins
    keys = []
    for seq, action, object_id, after, before in intents:
        final = outcomes.get(seq)
        if final is None or final[0] != "success":
            continue
        kind = "create" if action in CREATING else "update" if action in UPDATING else action
        if kind not in ("create", "update", "delete"):
            continue
        state = json.loads(final[2]) if final[2] else (json.loads(after) if after else None)
        key = _key(kind, final[1] or object_id, state)
        # Saved unchanged (an edit or revert to the state it had): applied or not, the server
        # is the same, so the reconcile step cannot tell and such a claim is not checked.
        noop = kind == "update" and before and _key(kind, key[1], json.loads(before)) == key
        keys.append((*key, "no-op") if noop else key)
    return keys


def implied_state(keys: list[tuple]) -> dict[str, tuple]:
    state: dict[str, tuple] = {}
    for key in keys:
        if key[0] == "delete":
            state.pop(key[1], None)
        else:
            state[key[1]] = key[2:4]
    return state


def server_state(api_data: Path) -> dict[str, tuple]:
    with contextlib.closing(sqlite3.connect(api_data)) as db:
        rows = db.execute("SELECT id, name, vocabulary FROM trackers").fetchall()
    return {row[0]: (row[1], tuple(json.loads(row[2]))) for row in rows}


def compare(report, *, journal: Path, audit_db: Path, api_data: Path) -> None:
    """Fill the report's audit figures."""
    applied = Counter(journal_keys(journal))
    report.applied = sum(applied.values())
    claimed = audit_successes(audit_db)
    for key in claimed:
        if key[-1] == "no-op":
            key = key[:-1]
            report.noop_writes += 1
            if applied[key] > 0:
                applied[key] -= 1
                report.applied_audited += 1
            continue
        if applied[key] > 0:
            applied[key] -= 1
            report.applied_audited += 1
        else:
            report.claimed_not_applied.append(f"audit success not applied: {key}")
    implied, actual = implied_state(claimed), server_state(api_data)
    report.objects = len(actual)
    for object_id in sorted(set(implied) | set(actual)):
        if implied.get(object_id) != actual.get(object_id):
            report.state_mismatches.append(
                f"tracker {object_id}: audit says {implied.get(object_id)}, "
                f"server has {actual.get(object_id)}"
            )
