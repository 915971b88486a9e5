"""Conversations written straight into a Management API server's store (SQLite), processed as
a completed text job leaves them: a row each, its metadata rows (the typed values beside
them, as the server writes them), its messages one per sentence. 10,000 conversations × 40
messages take seconds this way, where 10,000 HTTP jobs would take many minutes.

    made = build_bed(path)                                    # the scale tests' bed
    made = build_bed(path, count=10_000, messages=40, agents=..., regions=...)  # make bench

Write it before the server opens the file (the server reads what it finds). Each
conversation has 5 metadata keys: agentId, callType, customerId, region, score.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import orjson

from benchmarks.data import WORDS
from local_api.conversation_store import ConversationStore
from local_api.membership import as_instant, as_number
from local_api.store import new_id, open_store

AGENTS = tuple(f"agent{n}" for n in range(50))
REGIONS = tuple(f"region{n}" for n in range(10))
CALL_TYPES = ("sales", "support", "voicemail", "internal")
SPEAKERS = (
    {"name": "Agent", "userId": "agent@example.com"},
    {"name": "Customer", "userId": "customer@example.com"},
)


def _metadata(rng: random.Random, n: int, agents: Sequence[str], regions: Sequence[str]):
    return {
        "agentId": rng.choice(agents),
        "callType": rng.choice(CALL_TYPES),
        "customerId": str(100_000 + n),
        "region": rng.choice(regions),
        "score": str(rng.randrange(100)),
    }


def _messages(
    rng: random.Random, seq: int, start: datetime, count: int, words: tuple[int, int]
) -> list[tuple]:
    rows = []
    for m in range(count):
        said = " ".join(rng.choice(WORDS) for _ in range(rng.randint(*words))).capitalize() + "."
        at = start + timedelta(seconds=20 * m)
        speaker = orjson.dumps(SPEAKERS[m % 2]).decode()
        stamp = (at.isoformat(), (at + timedelta(seconds=15)).isoformat())
        rows.append((new_id(), seq, said, speaker, *stamp))
    return rows


def build_bed(
    path,
    *,
    count: int = 10_000,
    messages: int = 0,
    agents: Sequence[str] = AGENTS,
    regions: Sequence[str] = REGIONS,
    days: int = 90,
    seed: int = 7,
    words: tuple[int, int] = (4, 12),
) -> list[str]:
    """`count` processed conversations over the last `days` days, 5 metadata keys each (the
    agentId and region drawn from `agents` and `regions`), `messages` messages each of
    `words` (least, most) words; their ids in the order written."""
    store = open_store(path)
    ConversationStore.of(store)  # the conversation tables
    rng = random.Random(seed)
    now = datetime.now(UTC)
    members = orjson.dumps([{"name": s["name"], "email": s["userId"]} for s in SPEAKERS])
    made = []
    with store.transaction() as db:
        for n in range(count):
            conversation = new_id()
            start = now - timedelta(minutes=rng.randrange(days * 24 * 60))
            end = start + timedelta(minutes=20)
            metadata = _metadata(rng, n, agents, regions)
            seq = db.execute(
                "INSERT INTO conversations (id, name, type, start_time, end_time, start_epoch, "
                "end_epoch, members, metadata, created, processed) "
                "VALUES (?, ?, 'text', ?, ?, ?, ?, ?, ?, ?, 1) RETURNING seq",
                (
                    conversation,
                    f"Call {n}",
                    start.isoformat(),
                    end.isoformat(),
                    start.timestamp(),
                    end.timestamp(),
                    members.decode() if messages else "[]",
                    orjson.dumps(metadata).decode(),
                    now.isoformat(),
                ),
            ).fetchone()["seq"]
            db.executemany(
                "INSERT INTO conversation_metadata VALUES (?, ?, ?, ?, ?)",
                [(seq, k, v, as_number(v), as_instant(v)) for k, v in metadata.items()],
            )
            if messages:
                db.executemany(
                    "INSERT INTO messages (id, conversation_seq, text, speaker, start_time, "
                    "end_time) VALUES (?, ?, ?, ?, ?, ?)",
                    _messages(rng, seq, start, messages, words),
                )
            made.append(conversation)
    return made
