"""Tracker detection by text jobs (contract: "Conversations", trackers detected), over real
HTTP against the standalone server and embedded: exact matches with their offsets, contextual
ones with -1, inline trackers, enableAllTrackers, phrases to ignore, both routes.

The sentences' scores against their phrases with the model (all-MiniLM-L6-v2 int8), checked
when this file was written: "I want my money back." ~ "refund" 0.63 and "Let me speak to
your manager." ~ "talk to a manager" 0.79, both above DEFAULT_THRESHOLD 0.58; "I am fine,
thanks." is far from every phrase used here.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.local_api.conversation_support import body, message, wait_for_job


def _process(api, texts: list[str], **extra: Any) -> str:
    response = api.post(
        "/v1/process/text", json=body(messages=[message(t) for t in texts], **extra)
    )
    assert response.status_code == 201, response.text
    answer = response.json()
    assert wait_for_job(api, answer["jobId"])["status"] == "completed"
    return answer["conversationId"]


def _detected(api, conversation: str, route: str = "trackers-detected") -> list[dict[str, Any]]:
    response = api.get(f"/v1/conversations/{conversation}/{route}")
    assert response.status_code == 200, response.text
    return response.json()


def _named(found: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    return next((t for t in found if t["name"] == name), None)


def test_an_exact_match_is_the_phrase_and_its_character_offset_in_the_sentence(api, unique):
    name = unique("Pricing")
    trackers = [{"name": name, "vocabulary": ["Price list", "discount"]}]
    conversation = _process(
        api, ["Hello there. Could you send me the PRICE list, please?"], trackers=trackers
    )
    found = _detected(api, conversation)
    assert [t["name"] for t in found] == [name]
    tracker = found[0]
    assert set(tracker) == {"id", "name", "matches"} and tracker["id"].isdigit()
    [match] = tracker["matches"]  # a phrase that caught nothing is left out
    text = "Could you send me the PRICE list, please?"
    assert match == {
        "type": "vocabulary",
        "value": "Price list",
        "messageRefs": [
            {"id": match["messageRefs"][0]["id"], "text": text, "offset": text.index("PRICE")}
        ],
        "insightRefs": [],
    }
    messages = api.get(f"/v1/conversations/{conversation}/messages").json()["messages"]
    assert match["messageRefs"][0]["id"] == messages[1]["id"]


def test_a_contextual_match_has_offset_minus_one(api, unique):
    name = unique("Refunds")
    trackers = [{"name": name, "vocabulary": ["refund"]}]
    conversation = _process(api, ["I am fine, thanks. I want my money back."], trackers=trackers)
    [tracker] = _detected(api, conversation)
    assert tracker["matches"] == [
        {
            "type": "vocabulary",
            "value": "refund",
            "messageRefs": [
                {
                    "id": tracker["matches"][0]["messageRefs"][0]["id"],
                    "text": "I want my money back.",
                    "offset": -1,
                }
            ],
            "insightRefs": [],
        }
    ]


def test_an_inline_tracker_keeps_its_made_up_id_across_the_conversations_jobs(api, unique):
    name = unique("Escalation")
    trackers = [{"name": name, "vocabulary": ["talk to a manager"]}]
    conversation = _process(api, ["Let me speak to your manager."], trackers=trackers)
    [first] = _detected(api, conversation)
    appended = api.put(
        f"/v1/process/text/{conversation}",
        json=body(messages=[message("I need to talk to a manager now.")], trackers=trackers),
    )
    assert wait_for_job(api, appended.json()["jobId"])["status"] == "completed"
    [again] = _detected(api, conversation)
    assert again["id"] == first["id"]
    refs = [ref for match in again["matches"] for ref in match["messageRefs"]]
    assert [(ref["text"], ref["offset"]) for ref in refs] == [
        ("Let me speak to your manager.", -1),
        ("I need to talk to a manager now.", len("I need to ")),
    ]
    other = _process(api, ["Let me speak to your manager."], trackers=trackers)
    assert _detected(api, other)[0]["id"] != first["id"]


def test_enable_all_trackers_detects_the_accounts_trackers_and_only_then(api, unique):
    tracker = api.create_tracker(unique("Account refunds"), ["refund"])
    texts = ["I want my money back.", "I am fine, thanks."]
    with_all = _process(api, texts, enableAllTrackers=True)
    found = _named(_detected(api, with_all), tracker["name"])
    assert found is not None and found["id"] == tracker["id"]
    assert [m["value"] for m in found["matches"]] == ["refund"]
    without = _process(api, texts)
    assert _detected(api, without) == []  # no inline trackers, no enableAllTrackers: none


def test_enable_all_trackers_and_inline_trackers_together(api, unique):
    account = api.create_tracker(unique("Account pricing"), ["price list"])
    inline = unique("Inline refunds")
    conversation = _process(
        api,
        ["Send me the price list.", "I want my money back."],
        trackers=[{"name": inline, "vocabulary": ["refund"]}],
        enableAllTrackers=True,
    )
    found = _detected(api, conversation)
    assert _named(found, account["name"])["matches"][0]["messageRefs"][0]["offset"] == 12
    assert _named(found, inline)["matches"][0]["messageRefs"][0]["offset"] == -1


def test_a_phrase_to_ignore_stops_an_inline_trackers_match(api, unique):
    name = unique("Price talk")
    trackers = [{"name": name, "vocabulary": ["price"], "excludeVocabulary": ["price list"]}]
    conversation = _process(
        api, ["Send me the price list.", "The price is too high."], trackers=trackers
    )
    [tracker] = _detected(api, conversation)
    refs = tracker["matches"][0]["messageRefs"]
    assert [(ref["text"], ref["offset"]) for ref in refs] == [("The price is too high.", 4)]


def test_a_phrase_to_ignore_stops_an_account_trackers_match(api, unique):
    response = api.post(
        "/v1/manage/tracker",
        json={
            "name": unique("Account price talk"),
            "vocabulary": ["price"],
            "excludeVocabulary": ["price list"],
        },
    )
    assert response.status_code == 201, response.text
    tracker = response.json()["tracker"]
    texts = ["Send me the price list.", "The price is too high."]
    conversation = _process(api, texts, enableAllTrackers=True)
    found = _named(_detected(api, conversation), tracker["name"])
    refs = found["matches"][0]["messageRefs"]
    assert [(ref["text"], ref["offset"]) for ref in refs] == [("The price is too high.", 4)]


def test_the_go_sdks_trackers_route_answers_the_same(api, unique):
    trackers = [{"name": unique("Pricing"), "vocabulary": ["price"]}]
    conversation = _process(api, ["What is the price?"], trackers=trackers)
    found = _detected(api, conversation)
    assert found and _detected(api, conversation, "trackers") == found


def test_a_deleted_account_tracker_is_left_out(api, unique):
    tracker = api.create_tracker(unique("Short-lived"), ["price list"])
    conversation = _process(api, ["Send me the price list."], enableAllTrackers=True)
    assert _named(_detected(api, conversation), tracker["name"]) is not None
    assert api.delete(f"/v1/manage/tracker/{tracker['id']}").status_code == 200
    assert _named(_detected(api, conversation), tracker["name"]) is None


@pytest.mark.parametrize("route", ["trackers-detected", "trackers"])
def test_an_unknown_conversation_is_404(api, route):
    response = api.get(f"/v1/conversations/1234567890123456/{route}")
    assert response.status_code == 404
    assert response.json()["message"] == "The conversationId is either invalid or does not exist."


def test_two_inline_trackers_with_one_name_are_refused(api):
    # One name is one made-up id: two would collide in the results (the job failed on it).
    trackers = [
        {"name": "Twice", "vocabulary": ["price"]},
        {"name": "Twice", "vocabulary": ["price list"]},
    ]
    response = api.post(
        "/v1/process/text",
        json=body(messages=[message("Send me the price list.")], trackers=trackers),
    )
    assert response.status_code == 400
    assert response.json()["message"].startswith('trackers[1]: the name "Twice" is given twice')
