"""The management commands: seed_demo (embedded and over HTTP) and run_management_api flags."""

from __future__ import annotations

import io
import json
import socket

import pytest
import requests
from django.core.management import CommandError, call_command

from local_api.management.commands.seed_demo import SEED_FILE, load_seed_data
from local_api.validation import group_fields, tracker_fields
from tests.support.standalone import ServerFailedToStart, standalone_server

from .conftest import make_embedded_api

pytestmark = pytest.mark.django_db


def _seed(**options):
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def test_seed_data_has_the_docs_examples():
    seed = load_seed_data()
    names = {t["name"] for t in seed["trackers"]} | {g["name"] for g in seed["groups"]}
    assert {"Promotion Mention", "Voice Message", "Leads Tracker", "Calls made by John"} <= names


def test_seed_trackers_pass_the_contract_rules_unchanged():
    trackers = load_seed_data()["trackers"]
    assert [tracker_fields(t) for t in trackers] == [
        {
            "name": t["name"],
            "vocabulary": t["vocabulary"],
            "description": t.get("description", ""),
            "categories": t.get("categories", []),
            "languages": t.get("languages", []),
            "excludeVocabulary": t.get("excludeVocabulary", []),
            "type": "custom",
        }
        for t in trackers
    ]


def test_seed_groups_pass_the_contract_rules_unchanged():
    groups = load_seed_data()["groups"]
    assert [group_fields(g) for g in groups] == [
        {"name": g["name"], "description": g.get("description") or "", "criteria": g["criteria"]}
        for g in groups
    ]


def test_seed_data_leads_tracker_starts_with_the_screenshot_phrases():
    leads = next(t for t in load_seed_data()["trackers"] if t["name"] == "Leads Tracker")
    assert leads["vocabulary"][:4] == ["I need", "require", "use case", "discounts"]


def test_seed_data_annotations_are_not_sent():
    raw = json.loads(SEED_FILE.read_text())
    assert "_source" in raw["trackers"][0] and "_source" not in load_seed_data()["trackers"][0]


def test_seed_demo_creates_everything_once(tmp_path):
    data_path = tmp_path / "api.sqlite3"
    assert (
        _seed(data=str(data_path))
        == "trackers: 6 created, 0 already there\ngroups: 4 created, 0 already there\n"
        "conversations: 50 created, 0 already there\n"
    )


def test_seed_demo_runs_once_per_target(tmp_path):
    data_path = tmp_path / "api.sqlite3"
    _seed(data=str(data_path))
    assert _seed(data=str(data_path)) == "Demo data was seeded before; leaving the data as it is.\n"


def test_seed_demo_does_not_bring_back_what_the_user_deleted(tmp_path):
    data_path = tmp_path / "api.sqlite3"
    _seed(data=str(data_path))
    api = make_embedded_api(data_path)
    voice = next(
        t for t in api.get("/v1/manage/trackers").json()["trackers"] if t["name"] == "Voice Message"
    )
    api.delete(f"/v1/manage/tracker/{voice['id']}")
    _seed(data=str(data_path))
    names = {t["name"] for t in api.get("/v1/manage/trackers").json()["trackers"]}
    assert "Voice Message" not in names


def test_seed_demo_forced_again_changes_nothing(tmp_path):
    data_path = tmp_path / "api.sqlite3"
    _seed(data=str(data_path))
    assert _seed(data=str(data_path), force=True) == (
        "trackers: 0 created, 6 already there\ngroups: 0 created, 4 already there\n"
        "conversations: 0 created, 50 already there\n"
    )


def test_seed_demo_keeps_existing_items_untouched(tmp_path):
    data_path = tmp_path / "api.sqlite3"
    api = make_embedded_api(data_path)
    mine = api.create_tracker("Voice Message", ["my own phrase"])
    _seed(data=str(data_path))
    assert api.get(f"/v1/manage/tracker/{mine['id']}").json() == {"tracker": mine}


@pytest.fixture(scope="module")
def server_url(tmp_path_factory):
    with standalone_server(tmp_path_factory.mktemp("seed") / "api.sqlite3") as url:
        yield url


def test_seed_demo_over_http(server_url):
    assert _seed(url=server_url).startswith("trackers: 6 created")


def test_seed_demo_reports_a_refusal(server_url, settings):
    settings.SYMBL_APP_ID, settings.SYMBL_APP_SECRET = "wrong", "pair"
    with pytest.raises(CommandError, match="Seeding failed: The dashboard could not sign in"):
        _seed(url=server_url, force=True)


def test_run_management_api_rejects_bad_fault_flags(tmp_path):
    with (
        pytest.raises(ServerFailedToStart, match="Bad fault setting"),
        standalone_server(tmp_path / "api.sqlite3", args=("--error-rate", "2")),
    ):
        pass


def test_run_management_api_uses_configured_credentials(tmp_path):
    env = {"SYMBL_APP_ID": "prod-id", "SYMBL_APP_SECRET": "prod-secret"}
    body = {"type": "application", "appId": "prod-id", "appSecret": "prod-secret"}
    with standalone_server(tmp_path / "api.sqlite3", env=env) as url, requests.Session() as s:
        status = s.post(f"{url}/oauth2/token:generate", json=body, timeout=5).status_code
    assert status == 200


@pytest.mark.django_db
def test_seed_demo_is_audited_one_entry_per_object(tmp_path):
    from audit.models import AuditEntry

    _seed(data=str(tmp_path / "api.sqlite3"))
    pending = AuditEntry.objects.filter(action="import", completes__isnull=True)
    assert pending.count() == 10
    assert set(pending.values_list("actor_username", flat=True)) == {"seed_demo"}
    assert AuditEntry.objects.filter(action="import", outcome="success").count() == 10


def _seed_err(**options):
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def _down_url():
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def test_seed_demo_fails_when_the_server_is_down(settings):
    settings.SYMBL_API_DEADLINE, settings.SYMBL_API_CONNECT_TIMEOUT = 2.0, 0.5
    with pytest.raises(CommandError, match="Seeding failed: The Management API is not answering"):
        _seed(url=_down_url())


def test_seed_demo_if_possible_warns_when_the_server_is_down(settings):
    settings.SYMBL_API_DEADLINE, settings.SYMBL_API_CONNECT_TIMEOUT = 2.0, 0.5
    assert _seed_err(url=_down_url(), if_possible=True) == (
        "",
        "Warning: demo data not seeded: Seeding failed: The Management API is not answering.\n",
    )


def _fill(data_path):
    api = make_embedded_api(data_path)
    for start in (0, 250):
        batch = [{"name": f"Mine {i:03}", "vocabulary": ["x"]} for i in range(start, start + 250)]
        assert api.post("/v1/manage/trackers", json=batch).status_code == 201


def test_seed_demo_if_possible_warns_when_the_account_is_full(tmp_path):
    _fill(tmp_path / "api.sqlite3")
    out, err = _seed_err(data=str(tmp_path / "api.sqlite3"), if_possible=True)
    assert err.startswith("Warning: demo data not seeded: Seeding failed: 6 not created")
    assert "This account already has 500 trackers" in err


def test_seed_demo_if_possible_seeds_again_once_it_can(tmp_path):
    _seed_err(url=_down_url(), if_possible=True)  # no marker for a seed that failed
    assert _seed(data=str(tmp_path / "api.sqlite3"), if_possible=True).startswith(
        "trackers: 6 created"
    )


def test_run_management_api_database_takes_only_a_postgresql_url():
    with pytest.raises(CommandError, match="postgres://"):
        call_command("run_management_api", "--database", "sqlite:///var/api.sqlite3")
