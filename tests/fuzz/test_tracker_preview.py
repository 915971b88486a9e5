"""Fuzzing the draft preview: the editor's "Across your conversations" with any typed values
(never a 500, nothing over 1 MB upstream) and the server's POST /v1/x/trackers/preview with
any JSON body (a 200 or a 400, never a 500)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from symbl_admin.management_api.errors import ManagementAPIError, Unavailable, ValidationFailed
from tests.fuzz.support import FUZZ, assert_answered, hostile, post, values

pytestmark = pytest.mark.django_db

across_forms = st.fixed_dictionaries(
    {}, optional={"tracker": hostile, "name": hostile, "phrases": values, "excluded": values}
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | hostile,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile, inner, max_size=4),
    max_leaves=12,
)
bodies = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {},
        optional={
            "vocabulary": st.one_of(json_values, st.lists(hostile, max_size=60)),
            "excludeVocabulary": st.one_of(json_values, st.lists(hostile, max_size=60)),
            "trackerId": json_values,
            "baseline": json_values,
            "limit": json_values,
        },
    ),
)


@FUZZ
@given(data=across_forms, htmx=st.booleans())
def test_across_never_fails(role_client, upstream, data, htmx):
    assert_answered(post(role_client("analyst"), "/tester/across/", data, htmx=htmx))


@FUZZ
@given(body=bodies)
def test_the_preview_endpoint_answers_200_or_400(upstream, body):
    try:
        upstream.transport.request("POST", "/v1/x/trackers/preview", json_body=body)
    except ValidationFailed:
        pass  # a 400 naming what is wrong
    except ManagementAPIError as error:  # only a body the client would not send at all
        assert error.status is None and not isinstance(error, Unavailable), error
