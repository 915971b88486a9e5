"""client.tracker_previews.preview: over real HTTP against the standalone server, and against
a server without /v1/x (ExtensionNotSupported, so the editor and the queue can hide it)."""

from __future__ import annotations

import time
import uuid

import pytest

from symbl_admin.management_api import ExtensionNotSupported, ManagementAPIClient, ValidationFailed
from symbl_admin.management_api.conversation_types import text_message
from symbl_admin.management_api.sessions import new_session
from tests.support.standalone import standalone_server

from .fake_server import Reply


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET

    path = tmp_path_factory.mktemp("api") / "api.sqlite3"
    with standalone_server(path) as url:
        session = new_session()
        yield ManagementAPIClient(url, LOCAL_APP_ID, LOCAL_APP_SECRET, session=session)
        session.close()


def _processed(client, texts: list[str]) -> str:
    submitted = client.conversations.process_text(
        [text_message(t, speaker="Ann", speaker_id="ann@example.com") for t in texts],
        name="Preview call",
        enable_all_trackers=True,
    )
    deadline = time.monotonic() + 30
    while not client.conversations.job(submitted.job_id).done:
        assert time.monotonic() < deadline, "the job did not finish"
        time.sleep(0.05)
    return submitted.conversation_id


def test_a_draft_compared_with_a_baseline(client):
    word = "zq" + uuid.uuid4().hex[:8]
    conversation = _processed(client, [f"The {word} invoice is overdue.", "Nothing else."])
    found = client.tracker_previews.preview([f"{word} invoice"], baseline=((), ()), limit=3)
    assert found.compared_with == "baseline" and found.no_longer_caught.messages == 0
    [hit] = [h for h in found.newly_caught.sentences if h.conversation_id == conversation]
    assert (hit.text, hit.phrase, hit.exact, hit.score, hit.conversation_name) == (
        f"The {word} invoice is overdue.",
        f"{word} invoice",
        True,
        1.0,
        "Preview call",
    )
    assert found.newly_caught.phrases[0].status == "added"


def test_bad_input_is_a_validation_failure_naming_the_field(client):
    with pytest.raises(ValidationFailed) as raised:
        client.tracker_previews.preview(["x" * 256])
    assert "vocabulary" in raised.value.message


def test_a_server_without_it_says_not_supported(make_client, fake_api):
    fake_api.on("POST", "/v1/x/trackers/preview", Reply(404, {"message": "No such path"}))
    with pytest.raises(ExtensionNotSupported):
        make_client().tracker_previews.preview(["price"])
