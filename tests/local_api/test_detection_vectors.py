"""Sentence vectors of tracker detection (local_api/detection.py, detection_store.py): computed
once per message by the standalone server's worker and stored as float16 (half of float32),
close to the model's own; reading stored detections never loads the model; the embedding
throughput on this machine is printed with the run's figures."""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from local_api import detection
from symbl_admin import matching
from symbl_admin.embedding import DIMENSION, get_encoder
from tests.local_api.conversation_support import body, message, wait_for_job

ROOT = Path(__file__).resolve().parents[2]
LONG = (
    "We looked at the plans last week, and honestly the numbers were fine, but my manager "
    "wants to know how much the whole thing costs before we sign anything at all."
)


def _process(api, texts, **extra) -> str:
    answer = api.post("/v1/process/text", json=body(messages=[message(t) for t in texts], **extra))
    assert answer.status_code == 201, answer.text
    assert wait_for_job(api, answer.json()["jobId"])["status"] == "completed"
    return answer.json()["conversationId"]


def _stored(data_path: Path, conversation: str) -> list[sqlite3.Row]:
    with sqlite3.connect(data_path) as db:
        db.row_factory = sqlite3.Row
        return db.execute(
            "SELECT m.text, v.units, v.vectors, v.all_trackers FROM messages m "
            "JOIN conversations c ON c.seq = m.conversation_seq "
            "JOIN message_vectors v ON v.message_seq = m.seq WHERE c.id = ? ORDER BY m.seq",
            (conversation,),
        ).fetchall()


def test_each_message_has_its_vectors_stored_as_float16_by_the_server(http_api):
    conversation = _process(http_api, ["Hello there.", LONG], enableAllTrackers=True)
    rows = _stored(http_api.data_path, conversation)
    assert [row["text"] for row in rows] == ["Hello there.", LONG]
    expected = get_encoder().encode(["Hello there.", LONG, *matching.parts(LONG)])
    assert rows[0]["units"] == 1 and rows[1]["units"] == 1 + len(matching.parts(LONG)) > 1
    stored = []
    for row in rows:
        assert len(row["vectors"]) == row["units"] * DIMENSION * 2  # half of float32's 4 bytes
        assert row["all_trackers"] == 1
        stored.append(detection.from_blob(row["vectors"], row["units"]).astype(np.float32))
    cosines = np.sum(np.concatenate(stored) * expected, axis=1)
    assert cosines.min() > 0.999


def test_a_job_without_trackers_still_stores_its_vectors(http_api):
    conversation = _process(http_api, ["Just a sentence with no tracker in sight."])
    [row] = _stored(http_api.data_path, conversation)
    assert row["units"] == 1 and row["all_trackers"] == 0


def test_reading_stored_detections_never_loads_the_model(http_api, unique):
    trackers = [{"name": unique("Pricing"), "vocabulary": ["price"]}]
    conversation = _process(http_api, ["What is the price?"], trackers=trackers)
    script = f"""
import json, sys, requests
from local_api.app import create_app
from symbl_admin.management_api.embedded import EMBEDDED_BASE_URL, WSGIAdapter
from tests.local_api.conftest import Api
session = requests.Session()
session.mount(EMBEDDED_BASE_URL, WSGIAdapter(create_app(data_path={str(http_api.data_path)!r}, worker=False)))
api = Api("embedded", EMBEDDED_BASE_URL, session, None)
api.token = api.fetch_token()
answer = api.get("/v1/conversations/{conversation}/trackers-detected")
from symbl_admin import embedding
print(json.dumps({{"status": answer.status_code, "found": len(answer.json()),
    "loaded": embedding._encoder is not None,
    "runtime": "onnxruntime" in sys.modules or "tokenizers" in sys.modules}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout.splitlines()[-1])
    assert answer == {"status": 200, "found": 1, "loaded": False, "runtime": False}


WORDS = [
    "we",
    "need",
    "to",
    "look",
    "at",
    "the",
    "price",
    "of",
    "the",
    "plan",
    "before",
    "the",
    "end",
    "of",
    "the",
    "month",
    "because",
    "our",
    "team",
    "wants",
    "a",
    "discount",
    "and",
    "a",
    "faster",
    "support",
    "answer",
    "for",
    "every",
    "customer",
    "who",
    "calls",
    "about",
    "billing",
]


def test_embedding_throughput_is_measured(figure):
    rng = random.Random(25)
    texts = [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize() + "."
        for _ in range(400)
    ]
    get_encoder()  # the load is counted apart
    started = time.perf_counter()
    stored = detection.encode_messages(texts)
    seconds = time.perf_counter() - started
    assert len(stored) == len(texts)
    rate = len(texts) / seconds
    figure(
        "embedding throughput",
        f"{rate:.0f} messages/s (400 sentence-messages of 8-20 words, their parts included, "
        f"{sum(len(v) for v in stored)} vectors, float16 stored)",
    )
    assert rate > 10  # a floor far below the ~100-300/s measured: a regression, not noise
