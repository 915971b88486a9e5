"""Durability: the standalone server keeps everything across restarts and a SIGKILL."""

from __future__ import annotations

from tests.support.standalone import StandaloneServer

from .conftest import make_http_api


def test_data_and_tokens_survive_a_restart(tmp_path):
    data_path = tmp_path / "api.sqlite3"
    server = StandaloneServer(data_path)
    api = make_http_api(server.start(), data_path)
    tracker = api.create_tracker("Survivor", ["still here"])
    group = api.create_group("Survivor group")
    api.close()
    server.stop()

    api.base_url = server.start()
    try:
        # The old token still works: tokens live in the data file, not in a process.
        seen = (
            api.get(f"/v1/manage/tracker/{tracker['id']}").json(),
            api.get(f"/v1/manage/group/{group['id']}").json(),
        )
    finally:
        api.close()
        server.stop()
    assert seen == ({"tracker": tracker}, {"group": group})


def test_an_acknowledged_write_survives_sigkill(tmp_path):
    data_path = tmp_path / "api.sqlite3"
    server = StandaloneServer(data_path)
    api = make_http_api(server.start(), data_path)
    created = api.post(
        "/v1/manage/trackers",
        json=[{"name": f"Durable {i}", "vocabulary": ["x"]} for i in range(20)],
    ).json()["trackers"]
    api.close()
    server.kill()

    api.base_url = server.start()
    try:
        listed = api.get("/v1/manage/trackers").json()["trackers"]
    finally:
        api.close()
        server.stop()
    assert listed == created
