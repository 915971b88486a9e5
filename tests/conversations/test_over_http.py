"""The conversations screens over real HTTP: against the standalone local Management API
server (the list, a page, a metadata save landing on the server), and against a server
without our /v1/x extensions (search and groups hidden, each with a note)."""

from __future__ import annotations

import pytest

from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET
from symbl_admin.management_api import get_client
from tests.management_api.fake_server import APP_ID, APP_SECRET, FakeManagementAPI, Reply
from tests.support.conversations import SECRET_SENTENCE, processed
from tests.support.standalone import standalone_server

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def server_url(tmp_path_factory):
    with standalone_server(tmp_path_factory.mktemp("conv-http") / "api.sqlite3") as url:
        yield url


@pytest.fixture
def remote(settings, server_url):
    settings.SYMBL_API_BASE_URL = server_url
    settings.SYMBL_APP_ID, settings.SYMBL_APP_SECRET = LOCAL_APP_ID, LOCAL_APP_SECRET
    return get_client()


def test_list_page_and_metadata_save_over_http(role_client, remote):
    cid = processed(remote, "Wire call", {"agentId": "wire-agent"}, days_ago=20)
    listed = role_client("analyst").get("/conversations/?q=wire-agent").content.decode()
    assert f'href="/conversations/{cid}/"' in listed and "<strong>1</strong> conversation" in listed
    page = role_client("analyst").get(f"/conversations/{cid}/").content.decode()
    assert SECRET_SENTENCE in page and "No group selects this conversation." in page
    form = role_client("analyst").get(f"/conversations/{cid}/metadata/").content.decode()
    seen = form.split('name="seen" value="')[1].split('"')[0]
    response = role_client("analyst").post(
        f"/conversations/{cid}/metadata/",
        {"key": ["agentId", "queue"], "value": ["wire-agent", "gold"], "seen": seen},
    )
    assert response.status_code == 302
    assert dict(remote.conversations.get(cid).metadata) == {
        "agentId": "wire-agent",
        "queue": "gold",
    }


CONVERSATION = {
    "id": "5001",
    "type": "text",
    "name": "Hosted call",
    "startTime": "2026-11-01T10:00:00.000Z",
    "endTime": "2026-11-01T10:05:00.000Z",
    "members": [{"name": "Ann", "email": "ann@example.com"}],
    "metadata": {"agentId": "johndoe"},
}


@pytest.fixture
def hosted(settings):
    """A server with the contract's calls only (no /v1/x): the hosted API's shape."""
    fake = FakeManagementAPI().start()
    fake.on("GET", "/v1/conversations", Reply(200, {"conversations": [CONVERSATION]}))
    fake.on("GET", "/v1/conversations/5001", Reply(200, CONVERSATION))
    fake.on("GET", "/v1/conversations/5001/messages", Reply(200, {"messages": []}))
    settings.SYMBL_API_BASE_URL = fake.url
    settings.SYMBL_APP_ID, settings.SYMBL_APP_SECRET = APP_ID, APP_SECRET
    yield fake
    fake.stop()


def test_without_the_search_extension_search_is_hidden_with_a_note(role_client, hosted):
    html = role_client("analyst").get("/conversations/").content.decode()
    assert "Hosted call" in html
    assert 'id="search-unsupported"' in html and 'id="list-search"' not in html
    assert "Showing 1–1" in html  # no total: pages by previous and next
    listed = hosted.requests_to("GET", "/v1/conversations")[0]
    # All time, said explicitly: the API's own default is the last 7 days.
    assert listed.query["startTime"] == ["1970-01-01T00:00:00Z"]
    assert listed.query["endTime"] == ["2100-01-01T00:00:00Z"]


def test_without_the_groups_extension_the_page_says_so(role_client, hosted):
    html = role_client("analyst").get("/conversations/5001/").content.decode()
    assert 'id="groups-unsupported"' in html and "Hosted call" in html
    assert 'badge-success">Processed' in html  # its messages answer: no job list needed


def test_a_server_error_on_the_list_is_named_with_a_retry(role_client, hosted):
    hosted.on("GET", "/v1/conversations", Reply(400, {"message": "startTime is odd"}))
    role_client("analyst").get("/conversations/")  # takes the fixture's answer; then the 400
    response = role_client("analyst").get("/conversations/?order=asc")
    html = response.content.decode()
    assert response.status_code == 200
    assert "startTime is odd" in html and 'href="/conversations/?order=asc">Try again' in html


def test_a_failed_save_keeps_the_rows_and_says_why(role_client, hosted):
    hosted.on("PUT", "/v1/conversations/5001", Reply(400, {"message": "metadata is refused"}))
    from conversations.services import metadata_version

    seen = metadata_version(CONVERSATION["metadata"])
    response = role_client("analyst").post(
        "/conversations/5001/metadata/",
        {"key": ["agentId"], "value": ["typed-value"], "seen": seen},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "metadata is refused" in html and 'value="typed-value"' in html
