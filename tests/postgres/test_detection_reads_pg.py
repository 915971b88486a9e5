"""The dashboard's detection reads on PostgreSQL (local_api/detection_reads.py and
tracker_hits.py): the top trackers of the last days, a tracker's per-phrase counts and its
"of M" conversations, and a conversation's detections with scores, on a standalone server
whose store is a PostgreSQL database."""

from __future__ import annotations

import time
import uuid

from tests.local_api.conftest import make_http_api
from tests.local_api.conversation_support import body, iso_ago, message, wait_for_job
from tests.postgres.conftest import POSTGRES
from tests.support.standalone import standalone_server

pytestmark = POSTGRES


def test_top_trackers_and_phrase_counts_on_postgresql(pg_cluster, tmp_path):
    url = pg_cluster.create_database(f"reads_{uuid.uuid4().hex[:8]}")
    unused = tmp_path / "unused.sqlite3"
    with standalone_server(unused, args=("--database", url)) as base:
        api = make_http_api(base, unused)
        tracker = api.create_tracker("Invoices", ["quarterly invoice", "zebra crossing"])
        texts = ["Where is the quarterly invoice?", "The quarterly invoice is late."]
        recent = api.post(
            "/v1/process/text",
            json=body(messages=[message(t) for t in texts], enableAllTrackers=True),
        ).json()
        old = [message(texts[0], start=iso_ago(days=30), end=iso_ago(days=30))]
        earlier = api.post("/v1/process/text", json=body(messages=old, enableAllTrackers=True))
        for job in (recent["jobId"], earlier.json()["jobId"]):
            assert wait_for_job(api, job)["status"] == "completed"
        deadline = time.monotonic() + 30
        while (hits := api.get(f"/v1/x/trackers/{tracker['id']}/hits").json())["rescoring"]:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        top = api.get("/v1/x/trackers/top", params={"days": "7"}).json()
        bad = api.get("/v1/x/trackers/top", params={"limit": "500"})
        scored = api.get(f"/v1/x/conversations/{recent['conversationId']}/detections").json()
        api.close()
    assert top["trackers"] == [
        {"id": tracker["id"], "name": "Invoices", "hits": 2, "conversations": 1}
    ]
    assert top["conversations"] == 1
    assert bad.status_code == 400
    assert (hits["hits"], hits["conversations"], hits["scored"]) == (3, 2, 2)
    assert [(p["phrase"], p["hits"], p["conversations"]) for p in hits["phrases"]] == [
        ("quarterly invoice", 3, 2),
        ("zebra crossing", 0, 0),
    ]
    assert [(d["offset"], d["score"]) for d in scored["detections"]] == [(13, 1.0), (4, 1.0)]
