"""`make bench`'s conversation rows (issue 24, "Scale"), over the conversation bed the server
started with (benchmarks/conversation_bed.py: N conversations × M messages, 5 metadata keys
each; every group's agent has some of them):

- a group's first page of 20 over HTTP, all time, against the raw GET of one conversation:
  for a group selecting a quarter of them (callType==sales, made here) and for the account's
  own group selecting the most;
- the dashboard's conversations list page (first page of 50, no search) against the raw
  `GET /v1/conversations?limit=50`;
- the editor's live count: the criteria check the editor posts (/groups/check/), whose answer
  carries "Selects n of N conversations", in milliseconds;
- the quality report's section loaded apart, "What groups select" (every group's ids): a
  figure only, measured over a few rounds (seconds each at full size);
- importing through the dashboard's import page (benchmarks/conversation_import.py).

Measured after every other row (the dense group made here and the imported conversations
change nothing those rows saw). Interleaved rounds like the rest: medians, p90, min–max.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from benchmarks import conversation_import
from benchmarks.measure import Browser, interleaved
from benchmarks.report import Row

ALL_TIME = {"startTime": "1970-01-01T00:00:00Z", "endTime": "2100-01-01T00:00:00Z"}
DENSE = "conversation.metadata.callType==sales"
HTMX = {"HX-Request": "true"}
SELECTION_ROUNDS = 5  # the selections section reads every group's ids: seconds at full size


def csrf_token(dash: Browser, path: str) -> str:
    """The session's CSRF token, read from a page (CSRF_USE_SESSIONS: no cookie holds it)."""
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', dash.get(path).text)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def _raw_get(raw, url: str, params: dict | None = None, *, count: int | None = None):
    def go() -> object:
        response = raw.get(url, params=params, timeout=30)
        assert response.status_code == 200, (url, response.status_code, response.text[:300])
        if count is not None:
            assert len(response.json()["conversations"]) == count, url
        return response.content

    return go


def _check_post(dash: Browser, token: str, criteria: str) -> Callable[[], object]:
    """The editor's live check as htmx posts it: the criteria as text, the count out of band."""
    form = {"name": "x", "description": "", "mode": "text", "criteria_text": criteria}
    headers = {"HX-Request": "true", "X-CSRFToken": token}

    def go() -> object:
        response = dash.http.post(
            dash.base_url + "/groups/check/", data=form, headers=headers, timeout=60
        )
        assert response.status_code == 200 and "Selects " in response.text, response.text[:300]
        return response.text

    return go


def _busiest_group(client, groups) -> tuple[object, int]:
    counts = {g.id: client.conversations.count_selected(g.criteria) for g in groups}
    best = max(groups, key=lambda g: (counts[g.id], g.id))
    return best, counts[best.id]


def measure(bed, *, client, raw, api_url: str, dash: Browser, step, targets: bool):
    """The conversation rows and their notes."""
    size = bed.size
    t = (lambda value: value) if targets else (lambda value: None)
    one = client.conversations.list(
        limit=1, start_time=ALL_TIME["startTime"], end_time=ALL_TIME["endTime"]
    )[0]
    typical, typical_count = _busiest_group(client, client.groups.list())
    dense = client.groups.create(name="Bench sales calls", criteria=DENSE)
    dense_count = client.conversations.count_selected(DENSE)
    page = {**ALL_TIME, "limit": 20}
    probes = {
        "c_raw_one": _raw_get(raw, f"{api_url}/v1/conversations/{one.id}"),
        "c_group_dense": _raw_get(
            raw, f"{api_url}/v1/groups/{dense.id}/conversations", page, count=min(20, dense_count)
        ),
        "c_group": _raw_get(
            raw,
            f"{api_url}/v1/groups/{typical.id}/conversations",
            page,
            count=min(20, typical_count),
        ),
        "c_list": dash.probe("/conversations/?per_page=50", expect="metadata-chips"),
        "c_raw_list": _raw_get(raw, f"{api_url}/v1/conversations", {"limit": 50}),
        "c_count": _check_post(dash, csrf_token(dash, "/groups/new/"), DENSE),
    }
    said = probes["c_count"]()
    s = interleaved(probes, size.rounds, step)
    step(f"{size.rounds} interleaved rounds of {len(probes)} conversation measures")
    # As the report loads it: an htmx request for the section alone.
    section = dash.probe("/review/quality/selections/", expect="quality-selections", **HTMX)
    selections = interleaved({"selections": section}, SELECTION_ROUNDS if targets else 1, step)[
        "selections"
    ]
    findings = section()
    step(f"quality report's selections section, {SELECTION_ROUNDS if targets else 1} rounds")
    imported = conversation_import.run(bed.servers["dashboard"], dash, size.imported, size.messages)
    step(f"{size.imported} conversations imported through the dashboard")

    def both(a: str, b: str) -> str:
        return f"{a} {s[a]}; {b} {s[b]}"

    n = f"{size.conversations:,}"
    groups = len(client.groups.list())
    counted = re.search(r"Selects [\d,]+ of [\d,]+ conversations", said)
    rows = [
        Row(
            f"a group's conversations, first page of 20 over HTTP, a quarter of {n} selected "
            "/ raw GET of one conversation",
            s["c_group_dense"].median / s["c_raw_one"].median,
            t(3.0),
            detail=f"{dense_count:,} selected; " + both("c_group_dense", "c_raw_one"),
        ),
        Row(
            "a group's conversations, first page of 20 over HTTP, the account's group "
            "selecting the most / raw GET of one conversation",
            s["c_group"].median / s["c_raw_one"].median,
            t(3.0),
            detail=f"{typical_count:,} selected; " + both("c_group", "c_raw_one"),
        ),
        Row(
            "conversations list page (first page of 50, no search) / raw GET "
            "/v1/conversations?limit=50",
            s["c_list"].median / s["c_raw_list"].median,
            t(2.0),
            detail=both("c_list", "c_raw_list"),
        ),
        Row(
            f"live group count in the editor (POST /groups/check/) at {n} conversations: ms",
            s["c_count"].median,
            t(100.0),
            unit=" ms",
            digits=0,
            detail=f"“{counted.group(0) if counted else '?'}”; c_count {s['c_count']}",
        ),
        Row(
            f"quality report's “What groups select” at {groups} groups × {n} conversations: ms",
            selections.median,
            None,
            unit=" ms",
            digits=0,
            detail=_findings(findings) + f"; selections {selections}",
        ),
        *conversation_import.rows(imported, size.imported, t(50.0)),
    ]
    notes = [
        f"Conversations: {n} × {size.messages} messages (5 metadata keys each) written into "
        f"the server's store before it started; {groups} groups with the dense one made for "
        "the rows above; the raw GETs over HTTP with the bench's own token."
    ]
    return rows, notes


def _findings(html: str) -> str:
    counts = re.findall(r"<li>([^<:]+): <strong>(\d+)</strong></li>", html)
    if not counts:
        note = re.search(r'role="note">([^<]+)<', html)
        return note.group(1) if note else "no findings section"
    return ", ".join(f"{label.strip()}: {count}" for label, count in counts)
