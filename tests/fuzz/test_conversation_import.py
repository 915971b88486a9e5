"""Fuzzing the conversation import: uploads of any bytes in any of its formats, and runs or
progress pages with damaged tokens, are answered (never a 500)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.support import FUZZ, assert_answered, hostile, json_junk, post

pytestmark = pytest.mark.django_db


def _csv(rows):
    return "\n".join(",".join(cells) for cells in rows)


texts = st.one_of(
    hostile,
    json_junk,
    st.lists(st.lists(hostile, max_size=5), max_size=6).map(_csv),
    st.lists(st.lists(hostile, max_size=5), max_size=6).map(
        lambda r: "conversation,speaker,text,startTime\n" + _csv(r)
    ),
    st.lists(hostile.map(lambda t: f"{t}: {t}"), max_size=6).map("\n".join),
    st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "name": json_junk,
                "messages": st.one_of(json_junk, st.lists(json_junk, max_size=3)),
                "metadata": json_junk,
            },
        ),
        max_size=3,
    ).map(json.dumps),
)


@FUZZ
@given(
    raws=st.lists(
        st.one_of(st.binary(max_size=200), texts.map(lambda t: t.encode("utf-8", "surrogatepass"))),
        min_size=1,
        max_size=3,
    ),
    name=st.sampled_from(["a.csv", "a.json", "a.txt", "a", "a.TXT", "a.docx"]),
    metadata=st.one_of(st.none(), texts.map(lambda t: t.encode("utf-8", "surrogatepass"))),
)
def test_preview_of_any_upload_never_fails(role_client, upstream, raws, name, metadata):
    data = {"step": "preview", "files": [SimpleUploadedFile(name, raw) for raw in raws]}
    if metadata is not None:
        data["metadata"] = SimpleUploadedFile("meta.csv", metadata)
    assert_answered(role_client("lead").post("/conversations/import/", data))


@FUZZ
@given(token=hostile, htmx=st.booleans())
def test_run_and_progress_with_any_token_never_fail(role_client, upstream, token, htmx):
    lead = role_client("lead")
    assert_answered(
        post(lead, "/conversations/import/", {"step": "run", "token": token}, htmx=htmx)
    )
    safe = "".join(c for c in token if c.isalnum())[:40] or "x"
    assert lead.get(f"/conversations/import/{safe}/").status_code == 404  # nobody's import
