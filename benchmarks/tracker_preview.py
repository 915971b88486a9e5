"""The impact preview of a draft tracker on 80,000 stored messages (issue 25's row): 2,000
conversations × 40 sentence-messages of 8-20 words, their float16 vectors written straight
into the store, then POST /v1/x/trackers/preview's handler timed on a draft it has not seen.

    .venv/bin/python -m benchmarks.tracker_preview [--conversations 2000] [--messages 40]

The vectors are random unit vectors, except that about 3% of messages get a part near one of
the draft's phrases (cosine about 0.6-0.7, so the engine scores them in full, as real
contextual candidates are); the texts are drawn from benchmarks.data.WORDS, so the draft's
phrases made of those words occur word for word about as often as the sentences allow. A
sentence of 12 words or more gets a clause break (", and"), so it is stored with its parts'
vectors as a spoken one would be (matching.parts).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.conversation_bed import build_bed
from benchmarks.data import WORDS
from local_api import detection, tracker_preview
from local_api.conversation_store import ConversationStore
from local_api.handlers import Call
from local_api.store import open_store
from symbl_admin import matching
from symbl_admin.embedding import DIMENSION, get_encoder

DRAFT = ["refund request", "money back", "cancel my plan", "price list", "too expensive"]
NEAR = 0.03


def _unit(rng: np.random.Generator, rows: int) -> np.ndarray:
    found = rng.standard_normal((rows, DIMENSION)).astype(np.float32)
    return found / np.linalg.norm(found, axis=1, keepdims=True)


def seed(path: Path, conversations: int, messages: int) -> int:
    """The bed, with sentences of 8-20 words and their vectors; the messages written."""
    build_bed(path, count=conversations, messages=messages)
    store = open_store(path)
    rng, vectors_rng = random.Random(25), np.random.default_rng(25)
    phrases = get_encoder().encode(DRAFT)
    with store.transaction() as db:
        rows = db.execute("SELECT seq, conversation_seq FROM messages ORDER BY seq").fetchall()
        for row in rows:
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 20))]
            if len(words) >= 12:  # a long sentence has clauses, as speech does: more parts
                cut = rng.randint(4, len(words) - 4)
                words[cut - 1] += ","
                words.insert(cut, rng.choice(("and", "but", "because")))
            text = " ".join(words).capitalize() + "."
            count = len(matching.units([text])[0])
            vectors = _unit(vectors_rng, count)
            if rng.random() < NEAR:  # a part close to a phrase: a contextual candidate
                mix = 0.6 * phrases[rng.randrange(len(DRAFT))] + 0.8 * vectors[-1]
                vectors[-1] = mix / np.linalg.norm(mix)
            db.execute("UPDATE messages SET text = ? WHERE seq = ?", (text, row["seq"]))
            db.execute(
                "INSERT INTO message_vectors (message_seq, conversation_seq, all_trackers, "
                "units, vectors) VALUES (?, ?, 1, ?, ?)",
                (row["seq"], row["conversation_seq"], count, detection.to_blob(vectors)),
            )
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=2000)
    parser.add_argument("--messages", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "api.sqlite3"
        started = time.perf_counter()
        written = seed(path, args.conversations, args.messages)
        units = open_store(path)._read().execute("SELECT SUM(units) AS n FROM message_vectors")
        print(
            f"seeded {written} messages ({units.fetchone()['n']} stored vectors) in "
            f"{time.perf_counter() - started:.1f} s"
        )
        store = open_store(path)
        ConversationStore.of(store)
        timings, cpu = [], []
        for run in range(args.runs):
            draft = [*DRAFT, f"phrase not seen {run}"]  # new phrases: the model embeds them
            started, cpu_started = time.perf_counter(), time.process_time()
            status, answer = tracker_preview.tracker_preview(
                store, Call(data={"vocabulary": draft, "baseline": {"vocabulary": DRAFT[:3]}})
            )
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            assert status == 200
        print(
            f"preview of a draft on {answer['messages']} messages: median "
            f"{statistics.median(timings):.2f} s, max {max(timings):.2f} s over {args.runs} runs, "
            f"CPU {statistics.median(cpu):.2f} s median; load average {os.getloadavg()[0]:.1f} "
            f"(caught {answer['caught']['messages']}; the draft and a baseline scored)"
        )


if __name__ == "__main__":
    main()
