"""Tracker detection on PostgreSQL: a standalone server on a database stores each message's
float16 vectors (BYTEA) and its detections, answers trackers-detected from them, and re-scores
an account tracker changed after processing."""

from __future__ import annotations

import time
import uuid

import psycopg

from tests.local_api.conftest import make_http_api
from tests.local_api.conversation_support import body, message, wait_for_job
from tests.postgres.conftest import POSTGRES
from tests.support.standalone import standalone_server

pytestmark = POSTGRES


def test_detections_and_vectors_are_stored_in_postgresql(pg_cluster, tmp_path):
    url = pg_cluster.create_database(f"detect_{uuid.uuid4().hex[:8]}")
    unused = tmp_path / "unused.sqlite3"
    with standalone_server(unused, args=("--database", url)) as base:
        api = make_http_api(base, unused)
        account = api.create_tracker("Pricing", ["price list"])
        texts = ["Send me the price list.", "I want my money back."]
        answer = api.post(
            "/v1/process/text",
            json=body(
                messages=[message(t) for t in texts],
                trackers=[{"name": "Refunds", "vocabulary": ["refund"]}],
                enableAllTrackers=True,
            ),
        ).json()
        assert wait_for_job(api, answer["jobId"])["status"] == "completed"
        detected = f"/v1/conversations/{answer['conversationId']}/trackers-detected"
        found = api.get(detected).json()
        # Changed after processing: re-scored from the stored vectors, on PostgreSQL too.
        api.put(
            f"/v1/manage/tracker/{account['id']}",
            json={"name": "Pricing", "vocabulary": ["refund"]},
        )
        deadline = time.monotonic() + 30
        while api.get(f"/v1/x/trackers/{account['id']}/hits").json()["rescoring"]:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        rescored = api.get(detected).json()
        api.close()
    pricing = next(t for t in rescored if t["name"] == "Pricing")
    assert [(m["value"], r["offset"]) for m in pricing["matches"] for r in m["messageRefs"]] == [
        ("refund", -1)
    ]
    refs = {
        t["name"]: [(r["text"], r["offset"]) for m in t["matches"] for r in m["messageRefs"]]
        for t in found
    }
    assert refs == {"Pricing": [(texts[0], 12)], "Refunds": [(texts[1], -1)]}
    assert next(t["id"] for t in found if t["name"] == "Pricing") == account["id"]
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT v.units, length(v.vectors), v.all_trackers FROM message_vectors v "
            "JOIN messages m ON m.seq = v.message_seq ORDER BY m.seq"
        ).fetchall()
        stored = conn.execute("SELECT inline, char_offset FROM detections ORDER BY message_seq")
        assert sorted(stored.fetchall()) == [(0, -1), (1, -1)]  # "Pricing" now on "refund"
    assert rows == [(1, 384 * 2, 1), (1, 384 * 2, 1)]
