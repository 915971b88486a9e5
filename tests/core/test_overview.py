import pytest

pytestmark = pytest.mark.django_db


def test_overview_counts_from_the_api(role_client, api):
    api.trackers.create(name="One", vocabulary=["a"])
    api.trackers.create(name="Two", vocabulary=["b"])
    api.groups.create(name="G", criteria="conversation.metadata.agentId==x")
    body = role_client("analyst").get("/").content.decode()
    assert '<span class="stat-value">2</span>' in body
    assert '<span class="stat-value">1</span>' in body
    assert "Embedded local server" in body
    assert "Answering" in body


def test_overview_lists_recent_changes(role_client, api):
    lead = role_client("lead")
    lead.post("/trackers/new/", {"name": "Recent One", "phrases": "a\nb"})
    body = lead.get("/").content.decode()
    assert "Recent changes" in body
    assert "Recent One" in body


def test_overview_when_api_down_says_so(role_client, api, monkeypatch):
    from symbl_admin.management_api.errors import Unavailable

    def down(*a, **k):
        raise Unavailable("")

    monkeypatch.setattr(type(api.trackers), "list", down)
    response = role_client("analyst").get("/")
    assert response.status_code == 200
    assert b"Not answering" in response.content


def test_overview_shows_remote_url(role_client, settings, api):
    settings.SYMBL_API_BASE_URL = "http://127.0.0.1:9"
    settings.SYMBL_API_DEADLINE = 1.0
    settings.SYMBL_API_CONNECT_TIMEOUT = 0.2
    body = role_client("analyst").get("/").content.decode()
    assert "http://127.0.0.1:9" in body
    assert "Not answering" in body


def test_overview_names_why_a_remote_server_is_not_answering(role_client, settings, api):
    settings.SYMBL_API_BASE_URL = "http://127.0.0.1:9"
    settings.SYMBL_API_DEADLINE = 1.0
    settings.SYMBL_API_CONNECT_TIMEOUT = 0.2
    body = role_client("analyst").get("/").content.decode()
    assert "Not answering: The Management API is not answering.</span>" in body


def test_readyz_503_when_api_unreachable(client, settings):
    settings.SYMBL_API_BASE_URL = "http://127.0.0.1:9"
    settings.SYMBL_API_DEADLINE = 1.0
    settings.SYMBL_API_CONNECT_TIMEOUT = 0.2
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "management_api" in response.json()["reasons"]


def test_overview_counts_from_a_standalone_server(role_client, settings, tmp_path):
    """The same dashboard pointed at our standalone server over real HTTP."""
    from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET
    from symbl_admin.management_api import get_client
    from tests.support.standalone import standalone_server

    with standalone_server(tmp_path / "remote.sqlite3") as url:
        settings.SYMBL_API_BASE_URL = url
        settings.SYMBL_APP_ID, settings.SYMBL_APP_SECRET = LOCAL_APP_ID, LOCAL_APP_SECRET
        client = get_client()
        assert client.describe()["mode"] == "remote"
        for i in range(3):
            client.trackers.create(name=f"Remote {i}", vocabulary=["a"])
        body = role_client("analyst").get("/").content.decode()
        assert url in body
        assert '<span class="stat-value">3</span>' in body
        assert "Answering" in body
