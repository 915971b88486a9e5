"""Local Management API server: the quality of the account's trackers from their stored
detections (an extension under /v1/x/, documented in the README).

GET /v1/x/trackers/quality[?last=n] looks at the `last` (1-MAX_LAST, default DEFAULT_LAST)
most recent conversations (by start time) whose messages take the account's trackers
(enableAllTrackers), and answers:

- `quiet`: the account's trackers that caught no message in them;
- `overlaps`: pairs of trackers that catch mostly the same messages there: |A∩B| /
  min(|A|, |B|) ≥ OVERLAP, A and B the sets of messages each caught (at most MAX_PAIRS, the
  largest overlap first; `pairsLeftOff` counts the rest);
- `silentPhrases`: per tracker, its phrases that are the recorded phrase of none of its
  detections there (a tracker's detection records the one phrase that caught the message);
- `conversations` (how many were looked at) and `rescoring` (a rescore is pending, so the
  figures may be about to change, as in tracker_hits.py).

Computed in SQL from the `detections` table (the same statements on SQLite and PostgreSQL),
reached from the window through its primary key (CROSS JOIN: SQLite keeps that order, where
it chose to scan every detection by tracker instead; PostgreSQL plans it as any inner join);
never loads the model. Inline trackers are
left out: they belong to one conversation.
"""

from __future__ import annotations

from typing import Any

from local_api.conversation_store import ConversationStore
from local_api.handlers import Call, Reply
from local_api.plumbing import ApiError
from local_api.rescore import behind
from local_api.store import TRACKERS, Store

DEFAULT_LAST, MAX_LAST = 100, 10_000
OVERLAP = 0.8
MAX_PAIRS = 100

# The window: the most recent conversations whose messages take the account's trackers.
_WINDOW = (
    "WITH recent AS (SELECT c.seq FROM conversations c WHERE c.processed = 1 AND EXISTS "
    "(SELECT 1 FROM message_vectors v WHERE v.conversation_seq = c.seq AND v.all_trackers = 1) "
    "ORDER BY c.start_epoch DESC, c.seq DESC LIMIT ?) "
)
_COUNT = _WINDOW + "SELECT COUNT(*) AS n FROM recent"  # noqa: S608 (constants only)
_CAUGHT = (
    _WINDOW  # noqa: S608 (constants only)
    + "SELECT d.tracker_id, COUNT(*) AS n FROM recent r CROSS JOIN detections d "
    "WHERE d.conversation_seq = r.seq AND d.inline = 0 GROUP BY d.tracker_id"
)
_SHARED = (
    _WINDOW  # noqa: S608 (constants only)
    + "SELECT a.tracker_id AS a, b.tracker_id AS b, COUNT(*) AS n FROM recent r "
    "CROSS JOIN detections a CROSS JOIN detections b "
    "WHERE a.conversation_seq = r.seq AND a.inline = 0 "
    "AND b.conversation_seq = a.conversation_seq AND b.message_seq = a.message_seq "
    "AND b.tracker_id > a.tracker_id AND b.inline = 0 "
    "GROUP BY a.tracker_id, b.tracker_id"
)
_PHRASES = (
    _WINDOW  # noqa: S608 (constants only)
    + "SELECT DISTINCT d.tracker_id, d.phrase FROM recent r CROSS JOIN detections d "
    "WHERE d.conversation_seq = r.seq AND d.inline = 0"
)


def _last(call: Call) -> int:
    values = (call.query or {}).get("last") or [str(DEFAULT_LAST)]
    text = values[-1].strip()
    if len(values) > 1 or not text.isdigit() or not 1 <= int(text) <= MAX_LAST:
        raise ApiError(400, f'"last" must be one whole number from 1 to {MAX_LAST:,}.')
    return int(text)


def _overlaps(shared: list[Any], caught: dict[str, int], names: dict[str, str]) -> list[dict]:
    pairs = []
    for row in shared:
        a, b = row["a"], row["b"]
        if a not in names or b not in names:
            continue  # a tracker deleted since: its detections are about to go
        ratio = row["n"] / min(caught[a], caught[b])
        if ratio >= OVERLAP:
            pairs.append(
                {
                    "trackers": [{"id": a, "name": names[a]}, {"id": b, "name": names[b]}],
                    "caught": [caught[a], caught[b]],
                    "shared": int(row["n"]),
                    "overlap": round(ratio, 4),
                }
            )
    pairs.sort(key=lambda p: (-p["overlap"], -p["shared"], p["trackers"][0]["name"]))
    return pairs


def tracker_quality(store: Store, call: Call) -> Reply:
    """GET /v1/x/trackers/quality (see the module docstring)."""
    last = _last(call)
    trackers = store.objects(TRACKERS)
    names = {tracker["id"]: tracker["name"] for tracker in trackers}
    db = ConversationStore.of(store)._read()
    looked = int(db.execute(_COUNT, (last,)).fetchone()["n"])
    caught = {row["tracker_id"]: int(row["n"]) for row in db.execute(_CAUGHT, (last,))}
    pairs = _overlaps(db.execute(_SHARED, (last,)).fetchall(), caught, names)
    used: dict[str, set[str]] = {}
    for row in db.execute(_PHRASES, (last,)):
        used.setdefault(row["tracker_id"], set()).add(row["phrase"])
    rescoring = db.execute(
        "SELECT 1 FROM rescore_jobs WHERE status IN ('scheduled', 'in_progress') LIMIT 1"
    ).fetchone()
    silent = []
    for tracker in trackers:
        phrases = [p for p in tracker["vocabulary"] if p not in used.get(tracker["id"], set())]
        if phrases and tracker["id"] in caught:  # a quiet tracker is reported as quiet
            silent.append({"id": tracker["id"], "name": tracker["name"], "phrases": phrases})
    return 200, {
        "last": last,
        "conversations": looked,
        "overlapAtLeast": OVERLAP,
        "rescoring": rescoring is not None or behind(db),
        "quiet": [{"id": t["id"], "name": t["name"]} for t in trackers if t["id"] not in caught],
        "overlaps": pairs[:MAX_PAIRS],
        "pairsLeftOff": max(0, len(pairs) - MAX_PAIRS),
        "silentPhrases": silent,
    }
