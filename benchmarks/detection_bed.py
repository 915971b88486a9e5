"""The detection bed of `make bench` (issue 25): 2,000 conversations × 40 sentence-messages of
8–20 words (generated, seeded), each message's float16 vectors computed by the server's own
code (local_api.detection.encode_messages, as a text job's worker does) and stored with its
detections by TRACKERS account trackers of PHRASES phrases (detection.detect, as the worker
and a rescore do), in a Management API store (SQLite) the bench's server then opens.

Embedding 80,000 messages takes many minutes on two cores (measured here: 14-18 messages/s
with 8 engineers' load on the 2 cores, 41/s when quieter: 30-95 minutes), so the bed is built
ONCE and kept in var/bench-cache/detections-<key>/ (BENCH_CACHE_DIR moves it), the key made
of its sizes, seed, the model and the sha256 of the code that decides its bytes; a run copies
it into its own folder. The build commits every BATCH messages and resumes where it stopped
(an interrupted build is kept in <key>.partial/). Built apart, ahead of `make bench`:

    python -m benchmarks.detection_bed                # the full bed (2,000 × 40)
    python -m benchmarks.detection_bed --size quick   # 500 × 40, the same shape
    python -m benchmarks.detection_bed --size smoke   # a tiny one

`bed.json` beside the store records how long the embedding took when it was built.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks import data
from benchmarks.conversation_bed import build_bed
from benchmarks.stack import ROOT

CACHE = Path(os.environ.get("BENCH_CACHE_DIR") or ROOT / "var" / "bench-cache")
STORE = "api.sqlite3"
BATCH = 2000  # messages embedded and stored per transaction
# The code whose change changes the bed's bytes (its key holds their sha256).
CODE = (
    "benchmarks/detection_bed.py",
    "benchmarks/conversation_bed.py",
    "benchmarks/data.py",
    "local_api/detection.py",
    "local_api/detection_store.py",
    "local_api/conversation_schema.py",
    "local_api/store.py",
    "symbl_admin/matching.py",
    "symbl_admin/embedding.py",
)


@dataclass(frozen=True)
class DetectionSize:
    conversations: int
    messages: int  # per conversation
    trackers: int
    phrases: int  # per tracker
    seed: int = 25
    words: tuple[int, int] = (8, 20)


FULL = DetectionSize(2000, 40, 50, 10)
QUICK = DetectionSize(500, 40, 50, 10)
SMOKE = DetectionSize(6, 5, 4, 3)
SIZES = {"full": FULL, "quick": QUICK, "smoke": SMOKE}


def key(size: DetectionSize) -> str:
    """The cache key: the sizes, the seed, the model and the code's sha256."""
    from symbl_admin.embedding import MODEL_ID

    digest = hashlib.sha256(json.dumps([asdict(size), MODEL_ID]).encode())
    for name in CODE:
        digest.update((ROOT / name).read_bytes())
    s = size
    return f"{s.conversations}x{s.messages}-t{s.trackers}x{s.phrases}-s{s.seed}-{digest.hexdigest()[:12]}"


def folder(size: DetectionSize) -> Path:
    return CACHE / f"detections-{key(size)}"


def ensure(size: DetectionSize, say=print) -> Path:
    """The bed's folder (STORE and bed.json in it), built now (or resumed) when no run
    finished building it before."""
    done = folder(size)
    if (done / "bed.json").exists():
        say(f"detection bed found in {done}")
        return done
    building = done.with_name(done.name + ".partial")
    building.mkdir(parents=True, exist_ok=True)
    built = _build(building, size, say)
    (building / "bed.json").write_text(json.dumps({"key": key(size), **built}, indent=1))
    shutil.rmtree(done, ignore_errors=True)
    building.rename(done)
    return done


def _trackers(store, size: DetectionSize) -> None:
    from local_api.handlers import TRACKERS_SERVED
    from local_api.store import TRACKERS

    with store.transaction() as db:
        for item in data.trackers(size.trackers, size.phrases, seed=size.seed):
            store.insert(db, TRACKERS, TRACKERS_SERVED.fields(item, None))


def _build(building: Path, size: DetectionSize, say) -> dict:
    """Write the bed (or resume it); the embedding's own time and the units it embedded."""
    from local_api import detection
    from local_api.conversation_store import ConversationStore
    from local_api.detection_store import insert_detections
    from local_api.store import open_store
    from symbl_admin.embedding import get_encoder

    path = building / STORE
    progress = building / "progress.json"
    if not progress.exists():  # the conversations and trackers, in one go
        path.unlink(missing_ok=True)
        build_bed(
            path,
            count=size.conversations,
            messages=size.messages,
            seed=size.seed,
            words=size.words,
        )
        _trackers(open_store(path), size)
        progress.write_text(json.dumps({"embedding_seconds": 0.0, "started": time.time()}))
    store = open_store(path)
    conversations = ConversationStore.of(store)
    engines = detection.account_trackers(store)
    get_encoder()  # loaded before the clock starts
    so_far = json.loads(progress.read_text())
    embedding = so_far["embedding_seconds"]
    last = conversations._read().execute("SELECT MAX(message_seq) AS n FROM message_vectors")
    after = last.fetchone()["n"] or -1
    if after > 0:
        say(f"detection bed: resuming after message {after:,}")
    while True:
        rows = (
            conversations._read()
            .execute(
                "SELECT seq, conversation_seq, text FROM messages WHERE seq > ? ORDER BY seq LIMIT ?",
                (after, BATCH),
            )
            .fetchall()
        )
        if not rows:
            break
        texts = [row["text"] for row in rows]
        clock = time.perf_counter()
        stored = detection.encode_messages(texts)
        embedding += time.perf_counter() - clock
        caught = detection.detect(texts, stored, engines)
        with store.transaction() as db:
            for row, vectors, matches in zip(rows, stored, caught, strict=True):
                db.execute(
                    "INSERT INTO message_vectors (message_seq, conversation_seq, all_trackers, "
                    "units, vectors) VALUES (?, ?, 1, ?, ?)",
                    (row["seq"], row["conversation_seq"], len(vectors), detection.to_blob(vectors)),
                )
                for found in detection.detection_rows(matches):
                    insert_detections(
                        db, row["conversation_seq"], row["seq"], found["tracker"], found
                    )
        after = rows[-1]["seq"]
        progress.write_text(json.dumps({**so_far, "embedding_seconds": embedding}))
        say(f"detection bed: {after:,} messages embedded ({after / embedding:.0f} messages/s)")
    read = conversations._read()
    stored = read.execute("SELECT COUNT(*) AS n, SUM(units) AS u FROM message_vectors").fetchone()
    return {
        "messages": int(stored["n"]),
        "units": int(stored["u"]),
        "detections": int(read.execute("SELECT COUNT(*) AS n FROM detections").fetchone()["n"]),
        "embedding_seconds": round(embedding, 1),
        "built_in_seconds": round(time.time() - so_far["started"], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    args = parser.parse_args()
    print(ensure(SIZES[args.size]))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    main()
