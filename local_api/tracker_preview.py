"""Local Management API server: what a draft tracker would catch across stored conversations
(an extension under /v1/x/, documented in the README).

POST /v1/x/trackers/preview with {"vocabulary": [...], "excludeVocabulary": [...]} (the
draft, as typed; the tracker contract's bounds, but an empty vocabulary is allowed: it
catches nothing), optionally "trackerId" (the saved tracker the draft edits: the draft is
compared with its stored detections) or "baseline" ({"vocabulary", "excludeVocabulary"}:
the draft is compared with these phrases scored the same way, as the review queue does with
a change's before and after), and "limit" (sentences shown per list, 1-20, default 5).

The messages are those rescore.py re-scores: every stored message whose job enabled the
account's trackers. The matching is detection.detect's (exact + contextual at the calibrated
threshold, phrases to ignore), on the stored float16 vectors, read BATCH messages at a time
(the next batch read by another thread while this one is scored); only the batch's
candidates (candidates.py: a cosine near the threshold, or a phrase's words in order) go
through detection.detect, which gives the same answer as for every message (the engine
scores each message on its own). Only the draft's phrases go to the model.

Answer: {"trackerId", "comparedWith": "stored" | "baseline" | null, "messages" (scanned),
"caught": LIST, "newlyCaught": LIST, "noLongerCaught": LIST (both null without a
comparison), "rescoring"}; a LIST is {"messages", "conversations", "sentences": [HIT],
"phrases": [{"phrase", "status": "added" | "removed" | "kept", "messages", "sentences"}]},
a HIT {"conversationId", "conversationName", "messageId", "text", "phrase", "exact",
"offset", "score"}, newest message first. newlyCaught: caught by the draft and not by what
it is compared with, grouped by the draft's phrase ("added": not among the other side's
phrases); noLongerCaught the other way round ("removed": not among the draft's phrases).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from local_api import candidates, detection
from local_api.conversation_store import ConversationStore
from local_api.handlers import Call, Reply
from local_api.plumbing import ApiError
from local_api.rescore import behind
from local_api.store import TRACKERS, Store
from local_api.validation import RuleBroken, _not_in_both, _phrases
from symbl_admin.contract import MAX_EXCLUDED_PHRASES, MAX_PHRASES
from symbl_admin.embedding import ModelUnavailable
from symbl_admin.matching import TrackerInput

BATCH = 5000  # messages read at a time: about 4 MB of float16 vectors
DEFAULT_LIMIT, MAX_LIMIT = 5, 20
DRAFT, BASELINE = "draft", "baseline"
DETAILS = (
    "SELECT m.seq, m.id AS message_id, m.text, c.id AS conversation_id, c.name AS "
    "conversation_name FROM messages m JOIN conversations c ON c.seq = m.conversation_seq "
    "WHERE m.seq IN "
)
KEYS = {"vocabulary", "excludeVocabulary", "trackerId", "baseline", "limit"}


@dataclass(frozen=True)
class Hit:
    message_seq: int
    conversation_seq: int
    phrase: str
    score: float
    offset: int


# -- the request ----------------------------------------------------------------------------


def _engine(body: Any, where: str, engine_id: str) -> TrackerInput:
    if not isinstance(body, dict):
        raise RuleBroken(f'"{where}" must be a JSON object with "vocabulary".', where)
    vocabulary = body.get("vocabulary")
    if not isinstance(vocabulary, list):
        raise RuleBroken(f'"{where}vocabulary" must be a list of phrases.', "vocabulary")
    excluded = body.get("excludeVocabulary") or []
    if not isinstance(excluded, list):
        raise RuleBroken(f'"{where}excludeVocabulary" must be a list of phrases.', where)
    phrases = _phrases("vocabulary", vocabulary, MAX_PHRASES)
    ignored = _phrases("excludeVocabulary", excluded, MAX_EXCLUDED_PHRASES)
    _not_in_both(phrases, ignored)
    return TrackerInput(engine_id, engine_id, tuple(phrases), tuple(ignored))


def _request(body: Any) -> tuple[TrackerInput, TrackerInput | None, str | None, int]:
    """(draft, baseline, trackerId, limit) of a valid body.

    Raises:
        RuleBroken: which field breaks which rule.
    """
    if not isinstance(body, dict):
        raise RuleBroken('The body must be a JSON object with "vocabulary".')
    unknown = sorted(set(body) - KEYS)
    if unknown:
        raise RuleBroken(f'"{unknown[0]}" is not a field of a preview.', unknown[0])
    draft = _engine(body, "", DRAFT)
    tracker_id = body.get("trackerId")
    if tracker_id is not None and (not isinstance(tracker_id, str) or not tracker_id.strip()):
        raise RuleBroken('"trackerId" must be a tracker\'s id (a string).', "trackerId")
    baseline = None
    if body.get("baseline") is not None:
        if tracker_id is not None:
            raise RuleBroken('Give "trackerId" or "baseline", not both.', "baseline")
        try:
            baseline = _engine(body["baseline"], "baseline.", BASELINE)
        except RuleBroken as error:
            raise RuleBroken(f"baseline: {error.message}", "baseline") from None
    limit = body.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise RuleBroken(f'"limit" must be a whole number from 1 to {MAX_LIMIT}.', "limit")
    return draft, baseline, tracker_id, limit


# -- scoring the stored messages --------------------------------------------------------------


BATCH_QUERY = (
    "SELECT v.message_seq, v.conversation_seq, v.units, v.vectors, m.text "
    "FROM message_vectors v JOIN messages m ON m.seq = v.message_seq "
    "WHERE v.all_trackers = 1 AND v.message_seq > ? ORDER BY v.message_seq LIMIT ?"
)
# Reads the next batch while this one is scored (the database driver lets go of the GIL while
# it steps): one thread per process, with its own connection (the stores' are per thread).
_READER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tracker-preview-read")


def _fetch(read: Callable[[], Any], after: int) -> list[Any]:
    return read().execute(BATCH_QUERY, (after, BATCH)).fetchall()


def _batches(read: Callable[[], Any]) -> Iterator[list[Any]]:
    """The stored messages that take the account's trackers, BATCH at a time, in order."""
    pending = _READER.submit(_fetch, read, -1)
    while True:
        rows = pending.result()
        if not rows:
            return
        pending = _READER.submit(_fetch, read, rows[-1]["message_seq"])
        yield rows


def scan(
    read: Callable[[], Any], engines: list[TrackerInput]
) -> tuple[int, dict[str, dict[int, Hit]]]:
    """(messages scanned, {engine id: {message seq: Hit}}) over the stored messages that take
    the account's trackers; `read()` gives the calling thread's connection."""
    found: dict[str, dict[int, Hit]] = {engine.id: {} for engine in engines}
    with_phrases = [engine for engine in engines if engine.phrases]
    if not with_phrases:
        return _count(read()), found
    phrases = candidates.phrase_matrix(with_phrases)
    exact = candidates.exact_patterns(with_phrases)
    scanned = 0
    for rows in _batches(read):
        scanned += len(rows)
        picked = [rows[i] for i in candidates.near(rows, phrases, exact)]
        if not picked:
            continue
        stored = [detection.from_blob(row["vectors"], row["units"]) for row in picked]
        caught = detection.detect([row["text"] for row in picked], stored, with_phrases)
        for row, matches in zip(picked, caught, strict=True):
            for match in matches:
                found[match.tracker.id][row["message_seq"]] = Hit(
                    row["message_seq"],
                    row["conversation_seq"],
                    match.phrase,
                    float(match.score),
                    match.offset if match.exact else -1,
                )
    return scanned, found


def _count(db: Any) -> int:
    row = db.execute("SELECT COUNT(*) AS n FROM message_vectors WHERE all_trackers = 1").fetchone()
    return int(row["n"])


def stored_hits(db: Any, tracker_id: str) -> dict[int, Hit]:
    """The saved tracker's stored detections on the messages that take the account's trackers."""
    rows = db.execute(
        "SELECT d.message_seq, d.conversation_seq, d.phrase, d.score, d.char_offset "
        "FROM detections d JOIN message_vectors v ON v.message_seq = d.message_seq "
        "WHERE d.tracker_id = ? AND d.inline = 0 AND v.all_trackers = 1",
        (tracker_id,),
    )
    return {
        row["message_seq"]: Hit(
            row["message_seq"],
            row["conversation_seq"],
            row["phrase"],
            float(row["score"]),
            int(row["char_offset"]),
        )
        for row in rows
    }


# -- the answer -------------------------------------------------------------------------------


def _listed(hits: list[Hit], limit: int, others: set[str] | None, status: str) -> dict[str, Any]:
    hits = sorted(hits, key=lambda hit: hit.message_seq, reverse=True)
    by_phrase: dict[str, list[Hit]] = {}
    for hit in hits:
        by_phrase.setdefault(hit.phrase, []).append(hit)
    return {
        "messages": len(hits),
        "conversations": len({hit.conversation_seq for hit in hits}),
        "sentences": hits[:limit],
        "phrases": [
            {
                "phrase": phrase,
                "status": "kept" if others is None or phrase in others else status,
                "messages": len(group),
                "sentences": group[:limit],
            }
            for phrase, group in sorted(by_phrase.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ],
    }


def _shown(db: Any, value: Any, details: dict[int, Any]) -> Any:
    """The answer with each Hit replaced by its sentence and conversation."""
    if isinstance(value, Hit):
        row = details[value.message_seq]
        return {
            "conversationId": row["conversation_id"],
            "conversationName": row["conversation_name"],
            "messageId": row["message_id"],
            "text": row["text"],
            "phrase": value.phrase,
            "exact": value.offset >= 0,
            "offset": value.offset,
            "score": value.score,
        }
    if isinstance(value, dict):
        return {key: _shown(db, item, details) for key, item in value.items()}
    if isinstance(value, list):
        return [_shown(db, item, details) for item in value]
    return value


def _seqs(value: Any) -> Iterator[int]:
    if isinstance(value, Hit):
        yield value.message_seq
    elif isinstance(value, dict):
        for item in value.values():
            yield from _seqs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _seqs(item)


def _details(db: Any, seqs: set[int]) -> dict[int, Any]:
    if not seqs:
        return {}
    marks = ", ".join("?" * len(seqs))
    query = DETAILS + f"({marks})"  # noqa: S608 (only "?" marks: the values are parameters)
    rows = db.execute(query, tuple(sorted(seqs)))
    return {row["seq"]: row for row in rows}


def tracker_preview(store: Store, call: Call) -> Reply:
    """POST /v1/x/trackers/preview (see the module docstring)."""
    try:
        draft, baseline, tracker_id, limit = _request(call.data)
    except RuleBroken as error:
        raise ApiError(400, error.message) from None
    if tracker_id is not None and store.object(TRACKERS, tracker_id) is None:
        # 400, not 404: a 404 here means "no such endpoint" to a client (ExtensionNotSupported)
        raise ApiError(400, f'"trackerId": no tracker with id "{tracker_id}".')
    conversations = ConversationStore.of(store)
    db = conversations._read()
    try:
        scanned, found = scan(conversations._read, [draft] + ([baseline] if baseline else []))
    except ModelUnavailable as error:
        raise ApiError(
            503, f"The preview needs the sentence model, which is missing here: {error}"
        ) from None
    caught = found[DRAFT]
    other, other_phrases, compared = None, None, None
    if baseline is not None:
        other, other_phrases, compared = found[BASELINE], set(baseline.phrases), "baseline"
    elif tracker_id is not None:
        other, compared = stored_hits(db, tracker_id), "stored"
        other_phrases = set(store.object(TRACKERS, tracker_id)["vocabulary"])  # type: ignore[index]
    draft_phrases = set(draft.phrases)
    answer: dict[str, Any] = {
        "trackerId": tracker_id,
        "comparedWith": compared,
        "messages": scanned,
        "caught": _listed(list(caught.values()), limit, None, "kept"),
        "newlyCaught": None,
        "noLongerCaught": None,
        "rescoring": tracker_id is not None and _rescoring(db, tracker_id),
    }
    if other is not None:
        newly = [hit for seq, hit in caught.items() if seq not in other]
        gone = [hit for seq, hit in other.items() if seq not in caught]
        answer["newlyCaught"] = _listed(newly, limit, other_phrases, "added")
        answer["noLongerCaught"] = _listed(gone, limit, draft_phrases, "removed")
    return 200, _shown(db, answer, _details(db, set(_seqs(answer))))


def _rescoring(db: Any, tracker_id: str) -> bool:
    """Whether the saved tracker's stored detections may be about to change."""
    waiting = db.execute(
        "SELECT 1 FROM rescore_jobs WHERE tracker_id = ? AND status IN ('scheduled', "
        "'in_progress') LIMIT 1",
        (tracker_id,),
    ).fetchone()
    return waiting is not None or behind(db)
