"""Fuzzing the conversation screens: the list's query and the metadata form. Never a 500;
a refused form keeps what was typed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.support import FUZZ, assert_answered, encode, hostile, marker, post, values
from tests.support.conversations import processed

pytestmark = pytest.mark.django_db

LIST_FIELDS = ("q", "key", "group", "from", "to", "order", "page", "per_page")


@pytest.fixture
def conversation(upstream):
    return processed(upstream, "Fuzzed call", {"agentId": "johndoe"})


@FUZZ
@given(
    data=st.dictionaries(
        st.sampled_from(LIST_FIELDS),
        st.one_of(hostile, st.integers().map(str), st.dates().map(str)),
    ),
    htmx=st.booleans(),
)
def test_the_list_query_never_fails(role_client, conversation, data, htmx):
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = role_client("analyst").get(f"/conversations/?{encode(data).decode()}", **extra)
    assert_answered(response)


@FUZZ
@given(
    keys=st.lists(values, max_size=4),
    vals=st.lists(values, max_size=4),
    action=st.one_of(st.sampled_from(["save", "add", "remove-0", "remove-9"]), hostile),
    htmx=st.booleans(),
)
def test_the_metadata_form_never_fails_and_keeps_what_was_typed(
    role_client, conversation, keys, vals, action, htmx
):
    mark = marker()
    data = {"key": [*keys, mark], "value": [*vals, "x" * 129], "action": action}
    response = post(
        role_client("analyst"), f"/conversations/{conversation}/metadata/", data, htmx=htmx
    )
    # A 129-character value is always refused unless the row was removed, so the mark stays.
    assert_answered(response, kept=mark if not action.startswith("remove") else None)
