"""Fault injection: configuration, each fault embedded, and faults over real HTTP."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus

import pytest
import requests

from local_api.faults import FaultConfig
from tests.support.standalone import standalone_server

from .conftest import make_embedded_api, make_http_api

# -- configuration --------------------------------------------------------------------------


def test_faults_are_off_by_default():
    assert not FaultConfig.from_env({}).enabled


def test_from_env_reads_every_variable():
    config = FaultConfig.from_env(
        {
            "SYMBL_FAULT_LATENCY_MS": "250",
            "SYMBL_FAULT_ERROR_RATE": "0.1",
            "SYMBL_FAULT_BUSY_RATE": "0.2",
            "SYMBL_FAULT_DROP_RATE": "0.3",
            "SYMBL_FAULT_DROP_AFTER_WRITE": "1",
            "SYMBL_FAULT_SEED": "7",
        }
    )
    assert config == FaultConfig(250, 0.1, 0.2, 0.3, True, 7)


@pytest.mark.parametrize(
    "env",
    [
        {"SYMBL_FAULT_ERROR_RATE": "1.5"},
        {"SYMBL_FAULT_BUSY_RATE": "-0.1"},
        {"SYMBL_FAULT_DROP_RATE": "lots"},
        {"SYMBL_FAULT_ERROR_RATE": "0.6", "SYMBL_FAULT_BUSY_RATE": "0.6"},
        {"SYMBL_FAULT_LATENCY_MS": "-5"},
    ],
)
def test_from_env_rejects_bad_values(env):
    with pytest.raises(ValueError):
        FaultConfig.from_env(env)


def test_describe_names_the_faults():
    assert FaultConfig(latency_ms=100, busy_rate=0.5).describe() == (
        "faults: latency 100 ms, busy 50%"
    )


# -- embedded -------------------------------------------------------------------------------


def _faulty(tmp_path, **faults):
    """A faulty app and a clean one on the same data file (to see what really happened)."""
    data_path = tmp_path / "api.sqlite3"
    return make_embedded_api(data_path, faults=FaultConfig(**faults)), make_embedded_api(data_path)


def test_error_rate_answers_5xx_with_a_message(tmp_path):
    faulty, _ = _faulty(tmp_path, error_rate=1.0)
    response = faulty.get("/v1/manage/trackers")
    status = response.status_code
    assert response.json() == {
        "message": f"Simulated {status} {HTTPStatus(status).phrase} (fault injection); "
        "nothing was done."
    }


def test_error_fault_does_nothing(tmp_path):
    faulty, clean = _faulty(tmp_path, error_rate=1.0)
    faulty.post("/v1/manage/tracker", json={"name": "Ghost", "vocabulary": ["x"]})
    assert clean.get("/v1/manage/trackers").json() == {"trackers": []}


def test_error_rate_uses_all_three_statuses(tmp_path):
    faulty, _ = _faulty(tmp_path, error_rate=1.0, seed=1)
    assert {faulty.get("/v1/manage/trackers").status_code for _ in range(40)} == {500, 502, 503}


def test_busy_rate_answers_429(tmp_path):
    faulty, _ = _faulty(tmp_path, busy_rate=1.0)
    assert faulty.get("/v1/manage/groups").status_code == 429


def test_drop_rate_raises_connection_error(tmp_path):
    faulty, _ = _faulty(tmp_path, drop_rate=1.0)
    with pytest.raises(requests.ConnectionError):
        faulty.get("/v1/manage/trackers")


def test_dropped_write_does_nothing_by_default(tmp_path):
    faulty, clean = _faulty(tmp_path, drop_rate=1.0)
    with pytest.raises(requests.ConnectionError):
        faulty.post("/v1/manage/tracker", json={"name": "Ghost", "vocabulary": ["x"]})
    assert clean.get("/v1/manage/trackers").json() == {"trackers": []}


def test_drop_after_write_lands_the_write_then_drops(tmp_path):
    faulty, clean = _faulty(tmp_path, drop_rate=1.0, drop_after_write=True)
    with pytest.raises(requests.ConnectionError):
        faulty.post("/v1/manage/tracker", json={"name": "Landed", "vocabulary": ["x"]})
    assert [t["name"] for t in clean.get("/v1/manage/trackers").json()["trackers"]] == ["Landed"]


def test_drop_after_write_lands_a_patch_too(tmp_path):
    faulty, clean = _faulty(tmp_path, drop_rate=1.0, drop_after_write=True)
    tracker = clean.create_tracker("Patched")
    with pytest.raises(requests.ConnectionError):
        faulty.patch(
            f"/v1/manage/trackers/{tracker['id']}",
            json=[{"op": "replace", "path": "/description", "value": "landed"}],
        )
    landed = clean.get(f"/v1/manage/tracker/{tracker['id']}").json()["tracker"]
    assert landed["description"] == "landed"


def test_latency_beyond_the_read_timeout_raises_read_timeout(tmp_path):
    faulty, _ = _faulty(tmp_path, latency_ms=300)
    with pytest.raises(requests.ReadTimeout):
        faulty.get("/v1/manage/trackers", timeout=(1, 0.05))


def test_latency_within_the_read_timeout_answers(tmp_path):
    faulty, _ = _faulty(tmp_path, latency_ms=20)
    assert faulty.get("/v1/manage/trackers").status_code == 200


def test_token_endpoint_is_never_faulted(tmp_path):
    # make_embedded_api fetches a token through the faulty app: it must succeed.
    faulty, _ = _faulty(tmp_path, drop_rate=0.5, error_rate=0.5)
    assert faulty.token


def test_partial_rates_mix_faults_and_answers(tmp_path):
    faulty, _ = _faulty(tmp_path, busy_rate=0.5, seed=3)
    assert {faulty.get("/v1/manage/trackers").status_code for _ in range(30)} == {200, 429}


# -- over real HTTP -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def faulty_http(tmp_path_factory):
    """A standalone server that drops half the calls (env) and fails the rest (flag)."""
    data_path = tmp_path_factory.mktemp("faulty") / "api.sqlite3"
    with standalone_server(
        data_path,
        env={"SYMBL_FAULT_DROP_RATE": "0.5"},
        args=("--error-rate", "0.5", "--fault-seed", "11"),
    ) as url:
        api = make_http_api(url, data_path)
        yield api
        api.close()


def _outcome(api):
    try:
        return api.get("/v1/manage/trackers").status_code
    except requests.ConnectionError:
        return "dropped"


def test_http_faults_only_drop_or_fail(faulty_http):
    outcomes = {_outcome(faulty_http) for _ in range(30)}
    assert outcomes == {"dropped", 500, 502, 503}


def test_http_token_endpoint_is_never_faulted(faulty_http):
    assert faulty_http.fetch_token()


def test_write_hold_is_read_from_the_environment_and_named_in_the_banner():
    config = FaultConfig.from_env({"SYMBL_FAULT_WRITE_HOLD_MS": "150"})
    assert config.write_hold_ms == 150
    assert "hold the lock 150 ms" in config.describe()


def test_a_second_tracker_write_during_the_hold_gets_429(tmp_path):
    api = make_embedded_api(tmp_path / "api.sqlite3", faults=FaultConfig(write_hold_ms=400))
    first = api.new_session()
    with ThreadPoolExecutor(1) as pool:
        held = pool.submit(
            first.post, "/v1/manage/tracker", json={"name": "A", "vocabulary": ["hi"]}
        )
        time.sleep(0.1)  # the first write is holding the lock now
        second = api.post("/v1/manage/tracker", json={"name": "B", "vocabulary": ["hi"]})
        assert (held.result().status_code, second.status_code) == (201, 429)
