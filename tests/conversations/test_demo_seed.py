"""seed_demo's demo conversations: sent once per target, moved to end yesterday, selected by
the demo groups, and skipped with a warning by a server without the conversation API."""

import io
import threading
import time
from datetime import date
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from django.core.management import call_command

from conversations.demo_seed import ALL_TIME, load_demo_conversations
from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET
from local_api.app import create_app
from symbl_admin.management_api import ManagementAPIClient

pytestmark = pytest.mark.django_db


def _seed(**options):
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def _client(url):
    return ManagementAPIClient(url, LOCAL_APP_ID, LOCAL_APP_SECRET)


@pytest.fixture
def served(tmp_path):
    """The local Management API over real HTTP (wsgiref, a thread), optionally without its
    conversation endpoints, as a server older than issue 24 answers: 404."""

    servers = []

    def serve(*, conversations: bool = True) -> str:
        app = create_app(data_path=str(tmp_path / f"api{len(servers)}.sqlite3"))

        def older(environ, start_response):
            path = environ.get("PATH_INFO", "")
            if not conversations and path.startswith(
                ("/v1/conversations", "/v1/process", "/v1/job")
            ):
                start_response("404 Not Found", [("Content-Type", "application/json")])
                return [b'{"message": "Not found"}']
            return app(environ, start_response)

        class Quiet(WSGIRequestHandler):
            def log_message(self, *args):
                pass

        server = make_server("127.0.0.1", 0, older, handler_class=Quiet)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def test_the_demo_times_move_so_the_newest_call_ends_yesterday():
    items = load_demo_conversations(today=date(2027, 3, 10))
    ends = [m["duration"]["endTime"] for c in items for m in c["messages"]]
    assert max(ends).startswith("2027-03-09T")
    assert len(items) == 50


def test_seed_demo_sends_the_conversations_once_and_the_demo_groups_select_them(served):
    url = served()
    out, _ = _seed(url=url)
    assert "conversations: 50 created, 0 already there" in out
    assert _seed(url=url)[0] == "Demo data was seeded before; leaving the data as it is.\n"
    assert "conversations: 0 created, 50 already there" in _seed(url=url, force=True)[0]
    api = _client(url)
    assert len(api.conversations.list(limit=1000, **ALL_TIME)) == 50
    groups = {g.name: g for g in api.groups.list()}
    deadline, counts = time.monotonic() + 30, {}
    while time.monotonic() < deadline:
        counts = {
            name: len(api.conversations.of_group(g.id, limit=1000, **ALL_TIME))
            for name, g in groups.items()
        }
        if all(counts.values()):
            break
        time.sleep(0.3)
    assert counts == {
        "Calls made by John": 24,
        "Calls made by John to Acme Corp": 10,
        "Group for all Internal calls": 8,
        "Group for all conversations with Acme Corp company": 42,
    }


def test_an_install_seeded_before_conversations_gets_them_on_its_next_start(
    served, settings, tmp_path
):
    import hashlib
    from pathlib import Path

    url = served()
    _seed(url=url)
    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    (Path(settings.VAR_DIR) / f"demo-conversations-seeded-{digest}").unlink()
    api = _client(url)
    doomed = api.conversations.list(limit=1, **ALL_TIME)[0]
    api.conversations.delete(doomed.id)
    out, _ = _seed(url=url)
    assert out == "conversations: 1 created, 49 already there\n"


def test_a_server_without_the_conversation_api_gets_trackers_and_groups_and_a_warning(served):
    url = served(conversations=False)
    out, err = _seed(url=url)
    assert out.startswith("trackers: 6 created") and "groups: 4 created" in out
    assert "conversations" not in out
    assert err.startswith(
        "Warning: demo conversations not seeded: this Management API server has no conversation API"
    )
