"""What the dashboard's detection screens read (local_api/tracker_hits.py and
detection_reads.py): a tracker's per-phrase counts and the "of M" conversations, the top
trackers of the last days, and a conversation's detections with their scores. Over real HTTP
against the standalone server and embedded."""

from __future__ import annotations

import time
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.local_api.conftest import make_embedded_api
from tests.local_api.conversation_support import body, iso_ago, message, wait_for_job

TEXTS = ["Send me the price list.", "I want my money back."]


def _process(api, texts: list[str], **extra: Any) -> str:
    response = api.post(
        "/v1/process/text", json=body(messages=[message(t) for t in texts], **extra)
    )
    assert response.status_code == 201, response.text
    assert wait_for_job(api, response.json()["jobId"])["status"] == "completed"
    return response.json()["conversationId"]


def _settled(api, tracker_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while True:
        hits = api.get(f"/v1/x/trackers/{tracker_id}/hits").json()
        if not hits["rescoring"] or time.monotonic() > deadline:
            return hits
        time.sleep(0.1)


def test_hits_count_each_phrase_and_mark_those_that_caught_nothing(api, unique):
    tracker = api.create_tracker(unique("Phrases"), ["price list", "zebra crossing"])
    _process(api, TEXTS, enableAllTrackers=True)
    hits = _settled(api, tracker["id"])
    assert hits["phrases"] == [
        {
            "phrase": "price list",
            "hits": hits["hits"],
            "conversations": hits["conversations"],
            "inTracker": True,
        },
        {"phrase": "zebra crossing", "hits": 0, "conversations": 0, "inTracker": True},
    ]
    assert hits["hits"] >= 1


def test_hits_say_how_many_conversations_the_account_trackers_were_kept_for(api, unique):
    tracker = api.create_tracker(unique("Scored"), ["price list"])
    before = _settled(api, tracker["id"])["scored"]
    _process(api, TEXTS, enableAllTrackers=True)
    _process(api, TEXTS)  # its job did not enable the account's trackers: not counted
    hits = _settled(api, tracker["id"])
    assert hits["scored"] == before + 1
    assert hits["conversations"] <= hits["scored"]


def _top(api, **params: str):
    return api.get("/v1/x/trackers/top", params=params)


def test_top_trackers_rank_by_hits_in_conversations_started_in_the_window(tmp_path):
    """On a server of its own: on the shared ones, other tests' trackers outrank these."""
    api = make_embedded_api(tmp_path / "api.sqlite3")
    busy = api.create_tracker("Busy", ["quarterly invoice"])
    quiet = api.create_tracker("Quiet", ["parking garage"])
    texts = [
        "Where is the quarterly invoice?",
        "The quarterly invoice is late.",
        "The parking garage is full.",
    ]
    _process(api, texts, enableAllTrackers=True)
    old = [message(texts[0], start=iso_ago(days=30), end=iso_ago(days=30))]
    sent = api.post("/v1/process/text", json=body(messages=old * 3, enableAllTrackers=True))
    assert wait_for_job(api, sent.json()["jobId"])["status"] == "completed"
    _settled(api, busy["id"])
    _settled(api, quiet["id"])
    answer = _top(api, days="7", limit="50").json()
    ranked = {t["id"]: t for t in answer["trackers"]}
    assert ranked[busy["id"]] == {
        "id": busy["id"],
        "name": busy["name"],
        "hits": 2,
        "conversations": 1,
    }  # the old conversation is outside
    assert ranked[quiet["id"]]["hits"] == 1
    ids = [t["id"] for t in answer["trackers"]]
    assert ids.index(busy["id"]) < ids.index(quiet["id"])
    assert answer["days"] == 7 and answer["conversations"] >= 1 and answer["since"].endswith("Z")
    wider = {t["id"]: t for t in _top(api, days="60", limit="50").json()["trackers"]}
    assert wider[busy["id"]]["hits"] == 5


def test_top_trackers_keep_to_the_limit(api, unique):
    answer = _top(api, limit="1").json()
    assert len(answer["trackers"]) <= 1 and answer["days"] == 7


def test_top_trackers_refuse_bad_bounds_with_a_400_naming_them(api):
    for name, bad in (
        ("days", "0"),
        ("days", "367"),
        ("days", "x"),
        ("limit", "0"),
        ("limit", "51"),
        ("limit", "-1"),
        ("days", "1.5"),
    ):
        response = _top(api, **{name: bad})
        assert response.status_code == 400, (name, bad)
        assert f'"{name}"' in response.json()["message"]


def test_a_conversations_detections_carry_their_scores(api, unique):
    name = unique("Refunds")
    conversation = _process(
        api, TEXTS, trackers=[{"name": name, "vocabulary": ["refund", "price list"]}]
    )
    found = api.get(f"/v1/x/conversations/{conversation}/detections").json()["detections"]
    messages = api.get(f"/v1/conversations/{conversation}/messages").json()["messages"]
    assert [(d["messageId"], d["phrase"], d["offset"], d["inline"]) for d in found] == [
        (messages[0]["id"], "price list", 12, True),
        (messages[1]["id"], "refund", -1, True),
    ]
    assert found[0]["score"] == 1.0 and 0 < found[1]["score"] < 1
    assert {d["trackerName"] for d in found} == {name}
    assert all("text" not in d for d in found)  # counts for viewers who may not read them


def test_detections_of_an_unknown_conversation_are_a_404(api):
    response = api.get("/v1/x/conversations/1234567890123456/detections")
    assert response.status_code == 404
    assert "conversationId" in response.json()["message"]


def test_digits_that_are_not_ascii_are_a_400_not_a_500(api, unique):
    tracker = api.create_tracker(unique("Digits"), ["price list"])
    for path, name in (
        (f"/v1/x/trackers/{tracker['id']}/hits", "limit"),
        ("/v1/x/trackers/top", "days"),
        ("/v1/x/trackers/top", "limit"),
    ):
        for bad in ("²", "٣"):
            response = api.get(path, params={name: bad})
            assert response.status_code == 400, (path, name, bad)
            assert f'"{name}"' in response.json()["message"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    days=st.lists(st.text(max_size=6), max_size=3),
    limit=st.lists(st.text(max_size=6), max_size=3),
    conversation=st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="/?#"),
        min_size=1,
        max_size=20,
    ),
)
def test_the_detection_reads_never_answer_500(embedded_api, days, limit, conversation):
    top = embedded_api.get("/v1/x/trackers/top", params={"days": days, "limit": limit})
    assert top.status_code in (200, 400), top.text
    found = embedded_api.get(f"/v1/x/conversations/{conversation}/detections")
    assert found.status_code in (200, 404), found.text


def test_conversation_lists_refuse_digits_that_are_not_ascii(api):
    """Found beside the detection reads: `limit=²` was a 500 on the conversation lists."""
    for path in ("/v1/conversations", "/v1/x/conversations/search"):
        for name in ("limit", "offset"):
            response = api.get(path, params={name: "²"})
            assert response.status_code == 400, (path, name)
            assert f'"{name}"' in response.json()["message"]
