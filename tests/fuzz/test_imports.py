"""Fuzzing the generic import: preview (text and uploads) and run (damaged hidden state)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.support import FEW, FUZZ, assert_answered, hostile, huge, json_junk, post, values

pytestmark = pytest.mark.django_db

RESOURCES = st.sampled_from(["trackers", "groups"])


def _csv(rows):
    return "\n".join(",".join(cells) for cells in rows)


texts = st.one_of(
    values,
    json_junk,
    st.lists(st.lists(hostile, max_size=4), max_size=6).map(_csv),
    st.lists(st.lists(hostile, max_size=4), max_size=6).map(lambda r: "name,phrases\n" + _csv(r)),
    st.lists(
        st.fixed_dictionaries(
            {}, optional={"name": hostile, "vocabulary": st.lists(hostile), "criteria": hostile}
        ),
        max_size=5,
    ).map(json.dumps),
)


@FUZZ
@given(resource=RESOURCES, text=texts, fmt=st.sampled_from(["auto", "csv", "json", "", "x"]))
def test_preview_of_pasted_text_never_fails(role_client, upstream, resource, text, fmt):
    response = post(role_client("lead"), f"/{resource}/import/", {"text": text, "format": fmt})
    assert_answered(response)


@FUZZ
@given(
    resource=RESOURCES,
    raw=st.one_of(st.binary(max_size=200), texts.map(lambda t: t.encode("utf-8", "surrogatepass"))),
    name=st.sampled_from(["a.csv", "a.json", "a.txt", "", "a.CSV"]),
)
def test_preview_of_an_upload_never_fails(role_client, upstream, resource, raw, name):
    upload = SimpleUploadedFile(name or "x", raw)
    response = role_client("lead").post(f"/{resource}/import/", {"file": upload})
    assert_answered(response)


@FUZZ
@given(
    resource=RESOURCES,
    state=st.fixed_dictionaries(
        {"step": st.just("run")},
        optional=dict.fromkeys(
            ("payload", "updates", "created", "updated", "failed", "skipped"), json_junk
        )
        | {"total": hostile},
    ),
    htmx=st.booleans(),
)
def test_run_with_damaged_state_never_fails(role_client, upstream, resource, state, htmx):
    assert_answered(post(role_client("lead"), f"/{resource}/import/", state, htmx=htmx))


@FEW
@given(resource=RESOURCES, value=huge)
def test_run_of_a_megabyte_item_sends_nothing_over_the_limit(
    role_client, upstream, resource, value
):
    item = {"name": "Big", "vocabulary": ["hello"], "criteria": "a==b", "description": value}
    data = {"step": "run", "payload": json.dumps([item])}
    assert_answered(post(role_client("lead"), f"/{resource}/import/", data))
