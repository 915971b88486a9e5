"""Fuzzing the tracker editor: create, edit and the live check, as an analyst."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.support import (
    FEW,
    FUZZ,
    assert_answered,
    hostile,
    huge,
    json_junk,
    marker,
    post,
    values,
)

pytestmark = pytest.mark.django_db

FIELDS = ("name", "phrases", "description", "categories", "languages", "excluded", "reason")


def tracker_forms(value=values):
    return st.fixed_dictionaries(
        {},
        optional={
            **dict.fromkeys(FIELDS, value),
            "fingerprint": value,
            "base": json_junk,
            "review": st.sampled_from(["", "1", "\x00"]),
        },
    )


@FUZZ
@given(data=tracker_forms(), htmx=st.booleans())
def test_create_never_fails(role_client, upstream, data, htmx):
    mark = marker()
    data["reason"] = data.get("reason", "")[:100] + mark
    response = post(role_client("analyst"), "/trackers/new/", data, htmx=htmx)
    assert_answered(response)


@FUZZ
@given(data=tracker_forms(hostile))
def test_create_rerender_keeps_the_typed_name(role_client, upstream, data):
    mark = marker()
    data["name"] = mark + data.get("name", "")[:50]
    data["phrases"] = "\x00"  # never valid: the form comes back
    response = post(role_client("analyst"), "/trackers/new/", data)
    assert response.status_code == 200
    assert mark.encode() in response.content


@FUZZ
@given(data=tracker_forms())
def test_live_check_never_fails(role_client, upstream, data):
    response = post(role_client("analyst"), "/trackers/check/", data, htmx=True)
    assert_answered(response)


@FUZZ
@given(data=tracker_forms(), htmx=st.booleans())
def test_edit_never_fails(role_client, upstream, data, htmx):
    tracker = upstream.trackers.find_by_name("Fuzz target") or upstream.trackers.create(
        name="Fuzz target", vocabulary=["hello there"]
    )
    data.setdefault("fingerprint", tracker.fingerprint)
    response = post(role_client("analyst"), f"/trackers/{tracker.id}/edit/", data, htmx=htmx)
    assert_answered(response)


@FEW
@given(field=st.sampled_from(FIELDS), value=huge)
def test_a_megabyte_in_any_field_is_refused_with_a_message(role_client, upstream, field, value):
    data = {"name": "Huge one", "phrases": "hello there", field: value}
    response = post(role_client("analyst"), "/trackers/new/", data)
    assert response.status_code in (200, 400)
    assert upstream.trackers.find_by_name("Huge one") is None
