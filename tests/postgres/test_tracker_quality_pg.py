"""The trackers' quality (GET /v1/x/trackers/quality) on PostgreSQL: the same statements as on
SQLite find the quiet tracker, the overlapping pair and the phrase that never contributes."""

from __future__ import annotations

import uuid

from tests.local_api.conftest import make_http_api
from tests.local_api.conversation_support import body, message, wait_for_job
from tests.postgres.conftest import POSTGRES
from tests.support.standalone import standalone_server

pytestmark = POSTGRES


def test_tracker_quality_is_computed_in_postgresql(pg_cluster, tmp_path):
    url = pg_cluster.create_database(f"quality_{uuid.uuid4().hex[:8]}")
    unused = tmp_path / "unused.sqlite3"
    with standalone_server(unused, args=("--database", url)) as base:
        api = make_http_api(base, unused)
        api.create_tracker("Pricing", ["price list"])
        api.create_tracker("Prices", ["price list", "giraffe safari"])
        api.create_tracker("Volcano", ["volcanic eruption"])
        texts = ["Send me the price list.", "Is the price list current?"]
        answer = api.post(
            "/v1/process/text",
            json=body(messages=[message(t) for t in texts], enableAllTrackers=True),
        ).json()
        assert wait_for_job(api, answer["jobId"])["status"] == "completed"
        found = api.get("/v1/x/trackers/quality", params={"last": "10"}).json()
        bad = api.get("/v1/x/trackers/quality", params={"last": "0"})
        api.close()
    assert found["conversations"] == 1
    assert [t["name"] for t in found["quiet"]] == ["Volcano"]
    assert [
        (sorted(t["name"] for t in p["trackers"]), p["shared"], p["overlap"])
        for p in found["overlaps"]
    ] == [(["Prices", "Pricing"], 2, 1.0)]
    assert [(t["name"], t["phrases"]) for t in found["silentPhrases"]] == [
        ("Prices", ["giraffe safari"])
    ]
    assert bad.status_code == 400
