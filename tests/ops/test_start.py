"""Starting never depends on the Management API (scripts/run.py, what `make run` does).

The seed policy as a unit (which servers get demo data), then `make run` for real in a fresh
checkout against a remote server that is down: it starts, /healthz answers 200 and /readyz 503
naming the API.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess

import pytest

from .checkout import ROOT, free_port, get, make_checkout, serving

spec = importlib.util.spec_from_file_location("run_script", ROOT / "scripts" / "run.py")
run_script = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_script)


@pytest.fixture
def seeds(monkeypatch):
    """The seed_demo command lines run.seed_demo() runs (each exits `seeds.status`)."""
    calls = []

    def fake_run(command, **kwargs):
        calls.append(command[2:])
        return subprocess.CompletedProcess(command, fake_run.status)

    fake_run.status = 0
    monkeypatch.setattr(run_script.subprocess, "run", fake_run)
    return calls, fake_run


def test_the_embedded_server_is_seeded_if_possible(seeds):
    run_script.seed_demo({})
    assert seeds[0] == [["seed_demo", "--if-possible"]]


def test_a_remote_server_is_not_seeded_unless_asked(seeds, capsys):
    run_script.seed_demo({"SYMBL_API_BASE_URL": "https://api.example.com"})
    assert (seeds[0], "SEED_DEMO=1 seeds it" in capsys.readouterr().out) == ([], True)


def test_seed_demo_1_seeds_a_remote_server(seeds):
    run_script.seed_demo({"SYMBL_API_BASE_URL": "https://api.example.com", "SEED_DEMO": "1"})
    assert seeds[0] == [["seed_demo", "--if-possible"]]


def test_seed_demo_0_seeds_nothing(seeds):
    run_script.seed_demo({"SEED_DEMO": "0"})
    assert seeds[0] == []


def test_a_seed_that_crashes_is_a_warning_not_a_failed_start(seeds, capsys):
    seeds[1].status = 2
    run_script.seed_demo({})
    assert "Warning: demo data not seeded (seed_demo exit 2)." in capsys.readouterr().out


@pytest.fixture(scope="module")
def down_remote(tmp_path_factory):
    """`make run` in a fresh checkout, SEED_DEMO=1, pointed at a port where nothing listens."""
    root = make_checkout(tmp_path_factory.mktemp("down"))
    port, nothing = free_port(), free_port()
    env = {
        "PORT": str(port),
        "SEED_DEMO": "1",
        "SYMBL_API_BASE_URL": f"http://127.0.0.1:{nothing}",
    }
    with serving("make run", root, f"http://127.0.0.1:{port}/healthz", **env) as server:
        yield f"http://127.0.0.1:{port}", server


def test_make_run_against_a_down_server_warns_that_it_did_not_seed(down_remote):
    assert (
        "Warning: demo data not seeded: Seeding failed: The Management API is not answering."
        in (down_remote[1].output())
    )


def test_make_run_against_a_down_server_still_serves(down_remote):
    assert get(f"{down_remote[0]}/healthz") == (200, '{"status": "ok"}')


def test_make_run_against_a_down_server_is_not_ready_and_says_why(down_remote):
    status, body = get(f"{down_remote[0]}/readyz")
    assert (status, json.loads(body)) == (
        503,
        {
            "status": "unavailable",
            "reasons": {"management_api": "The Management API is not answering."},
        },
    )
