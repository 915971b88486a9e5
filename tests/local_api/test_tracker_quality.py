"""The trackers' quality from stored detections (local_api/tracker_quality.py, GET
/v1/x/trackers/quality): quiet trackers, overlapping pairs and phrases that never contribute,
over the last N conversations that take the account's trackers; over real HTTP against a
standalone server of this module's own (its own data: the window is the account's latest)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.local_api.conftest import Api, make_http_api
from tests.local_api.conversation_support import body, message, wait_for_job
from tests.support.standalone import standalone_server

QUALITY = "/v1/x/trackers/quality"
FIRST = ["Send me the price list.", "The price list and the refund form.", "Hello there."]
LATER = ["Where is the refund form?"]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    path = tmp_path_factory.mktemp("quality") / "api.sqlite3"
    with standalone_server(path) as base:
        api = make_http_api(base, path)
        yield api
        api.close()


def _process(api: Api, texts: list[str], **extra: Any) -> str:
    response = api.post(
        "/v1/process/text", json=body(messages=[message(t) for t in texts], **extra)
    )
    assert response.status_code == 201, response.text
    assert wait_for_job(api, response.json()["jobId"])["status"] == "completed"
    return response.json()["conversationId"]


@pytest.fixture(scope="module")
def account(api: Api) -> dict[str, dict[str, Any]]:
    """Four trackers, then two conversations that take them and one that does not."""
    trackers = {
        "pricing": api.create_tracker("Pricing", ["price list"]),
        "prices": api.create_tracker("Prices", ["price list", "giraffe safari"]),
        "refunds": api.create_tracker("Refunds", ["refund form"]),
        "volcano": api.create_tracker("Volcano", ["volcanic eruption"]),
    }
    _process(api, FIRST, enableAllTrackers=True)
    _process(api, LATER, enableAllTrackers=True)
    _process(api, ["The volcanic eruption was loud."])  # its job did not enable them
    return trackers


def _quality(api: Api, last: int) -> dict[str, Any]:
    response = api.get(QUALITY, params={"last": str(last)})
    assert response.status_code == 200, response.text
    return response.json()


def test_quiet_trackers_are_those_that_caught_nothing_in_the_window(api, account):
    found = _quality(api, 100)
    assert found["conversations"] == 2  # the third's job did not enable the account's
    assert [t["name"] for t in found["quiet"]] == ["Volcano"]
    latest = _quality(api, 1)
    assert latest["conversations"] == 1
    assert sorted(t["name"] for t in latest["quiet"]) == ["Prices", "Pricing", "Volcano"]


def test_pairs_catching_mostly_the_same_messages_are_listed_with_their_overlap(api, account):
    pairs = _quality(api, 100)["overlaps"]
    # Pricing and Prices both caught the same 2 messages; Refunds shares 1 of its 2 with them
    # (1 / min(2, 2) = 0.5, under 0.8).
    assert [
        (sorted(t["name"] for t in p["trackers"]), p["shared"], p["overlap"]) for p in pairs
    ] == [(["Prices", "Pricing"], 2, 1.0)]
    assert pairs[0]["caught"] == [2, 2]


def test_phrases_that_never_caught_a_message_are_named_per_tracker(api, account):
    silent = {t["name"]: t["phrases"] for t in _quality(api, 100)["silentPhrases"]}
    assert silent == {"Prices": ["giraffe safari"]}  # quiet Volcano is reported as quiet


def test_a_bad_window_is_a_400_that_says_the_bounds(api):
    for bad in ("0", "10001", "x", "-1", "", "1.5"):
        response = api.get(QUALITY, params={"last": bad})
        assert response.status_code == 400, bad
        assert response.json()["message"] == '"last" must be one whole number from 1 to 10,000.'
    repeated = api.get(QUALITY, params=[("last", "1"), ("last", "2")])
    assert repeated.status_code == 400


def test_the_default_window_is_the_last_100(api, account):
    assert api.get(QUALITY).json()["last"] == 100


def test_detections_are_reached_from_the_window_never_scanned(tmp_path):
    """SQLite's plan reads only the window's detections (a search by primary key per
    conversation), not every detection of the account by tracker: on the bench's bed, the
    per-tracker counts over 100 of 500 conversations took 1.66 s that way, 0.09 s now."""
    from local_api import tracker_quality
    from local_api.conversation_store import ConversationStore
    from local_api.store import open_store

    store = open_store(tmp_path / "api.sqlite3")
    db = ConversationStore.of(store)._read()
    for query in (tracker_quality._CAUGHT, tracker_quality._SHARED, tracker_quality._PHRASES):
        plan = [row["detail"] for row in db.execute("EXPLAIN QUERY PLAN " + query, (100,))]
        assert not [step for step in plan if step.startswith(("SCAN d", "SCAN a", "SCAN b"))], plan
