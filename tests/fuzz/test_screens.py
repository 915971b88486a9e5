"""Fuzzing the other forms: audit filters and exports, review decisions, the tester."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from audit.services import AuditContext
from resources import services
from review.reviews import object_reviews
from tests.fuzz.support import FEW, FUZZ, assert_answered, hostile, huge, marker, post, values
from trackers.resource import TRACKERS

pytestmark = pytest.mark.django_db

AUDIT_FIELDS = ("q", "actor", "action", "object_type", "outcome", "date_from", "date_to",
                "before", "after", "page", "cursor")  # fmt: skip
dates = st.one_of(hostile, st.dates().map(str), st.sampled_from(["2024-02-30", "0000-01-01"]))


def _raw_query(data: dict) -> str:
    from tests.fuzz.support import encode

    return encode(data).decode()


@FUZZ
@given(
    data=st.dictionaries(
        st.sampled_from(AUDIT_FIELDS), st.one_of(hostile, dates, st.integers().map(str))
    ),
    path=st.sampled_from(["/audit/", "/audit/export.csv", "/audit/export.json"]),
    htmx=st.booleans(),
)
def test_audit_filters_never_fail(role_client, upstream, data, path, htmx):
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = role_client("auditor").get(f"{path}?{_raw_query(data)}", **extra)
    assert_answered(response)
    if response.status_code == 200 and path != "/audit/":
        b"".join(response.streaming_content)  # the export streams without failing


@pytest.fixture
def pending(upstream, make_user):
    """A tracker an analyst changed, waiting for review: its queue key."""
    user = make_user("ana", "Analyst")
    ctx = AuditContext(
        actor=user,
        username=user.username,
        request_id="r",
        ip="127.0.0.1",
        user_agent="fuzz",
        reason="",
    )
    data = {"name": "Reviewed", "vocabulary": ["hello there"]}
    tracker = services.create(client=upstream, resource=TRACKERS, data=data, ctx=ctx)
    return f"tracker:{tracker.id}:{object_reviews()[('tracker', tracker.id)].head}"


@FUZZ
@given(
    comment=values,
    decision=st.one_of(st.sampled_from(["approve", "request_changes"]), hostile),
    items=st.lists(st.one_of(hostile, st.just("KEY")), max_size=3),
    htmx=st.booleans(),
)
def test_review_decisions_never_fail(role_client, pending, comment, decision, items, htmx):
    data = {
        "decision": decision,
        "comment": comment,
        "item": [pending if i == "KEY" else i for i in items],
    }
    assert_answered(post(role_client("lead"), "/review/decide/", data, htmx=htmx))


@FUZZ
@given(comment=hostile)
def test_a_refused_request_for_changes_keeps_the_comment(role_client, pending, comment):
    mark = marker()
    # Over the 2,000 characters a comment may have: refused, on the one item it was for.
    typed = mark + comment + "x" * 2001
    data = {"decision": "request_changes", "comment": typed, "item": [pending]}
    response = post(role_client("lead"), "/review/decide/", data)
    assert response.status_code == 200
    assert mark.encode() in response.content


tester_forms = st.fixed_dictionaries(
    {},
    optional={
        "transcript": values,
        "threshold": hostile,
        "tracker": hostile,
        "name": hostile,
        "phrases": values,
        "excluded": hostile,
    },
)


@FUZZ
@given(data=tester_forms, path=st.sampled_from(["/tester/", "/tester/try/"]), htmx=st.booleans())
def test_tester_never_fails(role_client, upstream, data, path, htmx):
    assert_answered(post(role_client("analyst"), path, data, htmx=htmx))


@FEW
@given(
    raw=st.one_of(st.binary(max_size=300), huge.map(str.encode)),
    name=st.sampled_from(["t.txt", "t"]),
)
def test_tester_uploads_never_fail(role_client, upstream, raw, name):
    upload = SimpleUploadedFile(name, raw, content_type="text/plain")
    response = role_client("analyst").post("/tester/try/", {"upload": upload, "threshold": "x"})
    assert_answered(response)
