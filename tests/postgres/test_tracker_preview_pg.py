"""The draft preview on PostgreSQL: a standalone server on a database scores a draft on the
stored float16 vectors (BYTEA) and compares it with the saved tracker's stored detections."""

from __future__ import annotations

import uuid

from tests.local_api.conftest import make_http_api
from tests.local_api.conversation_support import body, message, wait_for_job
from tests.postgres.conftest import POSTGRES
from tests.support.standalone import standalone_server

pytestmark = POSTGRES


def test_a_draft_is_previewed_against_postgresql(pg_cluster, tmp_path):
    url = pg_cluster.create_database(f"preview_{uuid.uuid4().hex[:8]}")
    unused = tmp_path / "unused.sqlite3"
    texts = ["Send me the price list.", "I want my money back.", "The weather is lovely."]
    with standalone_server(unused, args=("--database", url)) as base:
        api = make_http_api(base, unused)
        tracker = api.create_tracker("Pricing", ["price list"])
        answer = api.post(
            "/v1/process/text",
            json=body(messages=[message(t) for t in texts], enableAllTrackers=True),
        ).json()
        assert wait_for_job(api, answer["jobId"])["status"] == "completed"
        found = api.post(
            "/v1/x/trackers/preview",
            json={"trackerId": tracker["id"], "vocabulary": ["refund"]},
        )
        api.close()
    assert found.status_code == 200, found.text
    preview = found.json()
    assert preview["messages"] == 3
    [newly] = preview["newlyCaught"]["sentences"]
    [gone] = preview["noLongerCaught"]["sentences"]
    assert (newly["text"], newly["phrase"], newly["exact"]) == (texts[1], "refund", False)
    assert (gone["text"], gone["phrase"], gone["offset"]) == (texts[0], "price list", 12)
    assert newly["conversationId"] == answer["conversationId"]
