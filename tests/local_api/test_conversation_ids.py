"""Our /v1/x/conversations/ids extension, over HTTP and embedded: the ids and total of what
criteria select (all time unless bounded), its limit, and a 400 naming bad criteria."""

from __future__ import annotations

import uuid

from tests.local_api.conversation_support import iso_ago, message, processed

PATH = "/v1/x/conversations/ids"


def _at(api, tag: str, days: float, **metadata: str) -> str:
    msg = message("Hello there.", start=iso_ago(days=days), end=iso_ago(days=days, minutes=-5))
    return processed(api, metadata={"tag": tag, **metadata}, messages=[msg])


def test_ids_of_what_criteria_select_over_all_time(api):
    tag = uuid.uuid4().hex[:12]
    old = _at(api, tag, 400, agent="john")
    new = _at(api, tag, 1, agent="john")
    _at(api, tag, 1, agent="mary")
    criteria = f"conversation.metadata.tag=={tag};conversation.metadata.agent==john"
    answer = api.get(PATH, params={"criteria": criteria}).json()
    assert answer == {"ids": [old, new], "total": 2}
    bounded = api.get(PATH, params={"criteria": criteria, "startTime": iso_ago(days=30)})
    assert bounded.json() == {"ids": [new], "total": 1}
    limited = api.get(PATH, params={"criteria": criteria, "limit": "1"}).json()
    assert limited == {"ids": [old], "total": 2}


def test_bad_criteria_and_limits_are_400s_naming_them(api):
    bad = api.get(PATH, params={"criteria": "conversation.metadata.a==="})
    assert bad.status_code == 400 and '"criteria"' in bad.json()["message"]
    over = api.get(PATH, params={"criteria": "conversation.metadata.a==b", "limit": "65537"})
    assert over.status_code == 400 and "limit" in over.json()["message"]
