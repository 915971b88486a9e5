"""Fuzzing the group editor: create, edit, live check, builder rows and their buttons."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.support import FUZZ, assert_answered, hostile, json_junk, marker, post, values

pytestmark = pytest.mark.django_db

ACTIONS = ["save", "add", "remove-0", "remove-²", "remove-9999999999999999999999", "to-text",
           "to-builder", "remove-", "remove-٣"]  # fmt: skip


@st.composite
def group_forms(draw, value=values):
    data = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "name": value,
                "description": value,
                "mode": st.one_of(st.sampled_from(["builder", "text"]), hostile),
                "join": st.one_of(st.sampled_from(["and", "or"]), hostile),
                "criteria_text": value,
                "reason": value,
                "fingerprint": hostile,
                "base": json_junk,
                "action": st.one_of(st.sampled_from(ACTIONS), hostile),
                "cond-count": st.one_of(st.integers(-3, 12).map(str), hostile),
            },
        )
    )
    for i in range(draw(st.integers(0, 3))):
        for part in ("kind", "key", "op", "value"):
            if draw(st.booleans()):
                data[f"cond-{i}-{part}"] = draw(hostile)
    return data


@FUZZ
@given(data=group_forms(), htmx=st.booleans())
def test_create_never_fails(role_client, upstream, data, htmx):
    assert_answered(post(role_client("analyst"), "/groups/new/", data, htmx=htmx))


@FUZZ
@given(data=group_forms(hostile))
def test_a_refused_create_keeps_the_typed_name(role_client, upstream, data):
    mark = marker()
    data.update(name=mark + "\x00", action="save")  # a NUL is never valid in a name
    response = post(role_client("analyst"), "/groups/new/", data)
    assert response.status_code == 200
    assert mark.encode() in response.content


@FUZZ
@given(data=group_forms())
def test_live_check_never_fails(role_client, upstream, data):
    assert_answered(post(role_client("analyst"), "/groups/check/", data, htmx=True))


@FUZZ
@given(data=group_forms(), htmx=st.booleans())
def test_edit_never_fails(role_client, upstream, data, htmx):
    group = upstream.groups.find_by_name("Fuzz target") or upstream.groups.create(
        name="Fuzz target", criteria="conversation.metadata.agentId==x"
    )
    data.setdefault("fingerprint", group.fingerprint)
    response = post(role_client("analyst"), f"/groups/{group.id}/edit/", data, htmx=htmx)
    assert_answered(response)


@pytest.mark.parametrize("action", ["remove-²", "remove-" + "9" * 5000, "remove-٣"])
def test_remove_buttons_with_odd_numbers(role_client, upstream, action):
    data = {"cond-count": "2", "cond-0-key": "a", "cond-1-key": "b", "action": action}
    assert post(role_client("analyst"), "/groups/new/", data).status_code == 200
