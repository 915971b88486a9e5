"""Durability under load: the standalone server (2 workers x 4 threads) is SIGKILLed in the
middle of a burst of writes from several clients; after a restart on the same data file,
every write it acknowledged is there (creates) or gone (deletes), as the clients were told,
and nothing appears that no client sent. Writes in flight at the kill may go either way.

Bounded: each client makes at most MAX_WRITES attempts; 127.0.0.1 only.
"""

from __future__ import annotations

import threading
import time

import requests

from tests.support.standalone import StandaloneServer

from .conftest import make_http_api

CLIENTS = 6
MAX_WRITES = 200
KILL_AFTER_ACKS = 60
PLURALS = ("trackers", "groups")


class Ledger:
    """What the clients were told, shared by their threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.created: dict[str, dict] = {}  # name -> the acknowledged object
        self.deleted: set[str] = set()  # names whose delete was acknowledged
        self.in_flight: set[str] = set()  # names whose write got no answer
        self.acks = 0

    def ack(self) -> None:
        with self.lock:
            self.acks += 1


def _body(kind: str, name: str) -> dict:
    if kind == "tracker":
        return {"name": name, "vocabulary": ["durable", name]}
    return {"name": name, "criteria": "conversation.metadata.agentId==durable"}


def _writer(api, n: int, ledger: Ledger) -> None:
    mine: list[tuple[str, str, str]] = []  # (kind, id, name) acknowledged and not deleted
    for i in range(MAX_WRITES):
        if i % 4 == 3 and mine:
            kind, item_id, name = mine.pop(0)
            method, path, json, ok = "DELETE", f"/v1/manage/{kind}/{item_id}", None, (200, 204)
        else:
            kind = "tracker" if i % 2 else "group"
            name = f"w{n}-{i}"
            method, path, json, ok = "POST", f"/v1/manage/{kind}", _body(kind, name), (201,)
        try:
            response = api.call(method, path, json=json, timeout=(2, 5))
        except requests.RequestException:
            with ledger.lock:
                ledger.in_flight.add(name)
            return  # the server is gone
        if response.status_code == 429:  # one tracker write at a time: not done, go on
            time.sleep(0.005)
            continue
        assert response.status_code in ok, response.text
        with ledger.lock:
            if method == "POST":
                item = response.json()[kind]
                ledger.created[name] = item
                mine.append((kind, item["id"], name))
            else:
                ledger.deleted.add(name)
        ledger.ack()


def test_no_acknowledged_write_is_lost_when_sigkilled_mid_burst(tmp_path, figure):
    data_path = tmp_path / "api.sqlite3"
    server = StandaloneServer(data_path, args=("--workers", "2", "--threads", "4"))
    first = make_http_api(server.start(), data_path)
    ledger = Ledger()
    apis = [first.new_session() for _ in range(CLIENTS)]
    threads = [
        threading.Thread(target=_writer, args=(api, n, ledger), daemon=True)
        for n, api in enumerate(apis)
    ]
    try:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while ledger.acks < KILL_AFTER_ACKS and time.monotonic() < deadline:
            time.sleep(0.005)
        server.kill()
        for thread in threads:
            thread.join(timeout=30)
        acked_at_kill = ledger.acks
        assert acked_at_kill >= KILL_AFTER_ACKS
        assert all(not thread.is_alive() for thread in threads)

        after = make_http_api(server.start(), data_path)
        stored = {}
        for plural in PLURALS:
            listed = after.get(f"/v1/manage/{plural}").json()[plural]
            stored.update({item["name"]: item for item in listed})
        after.close()
    finally:
        for api in [first, *apis]:
            api.close()
        server.stop()

    # A delete in flight at the kill may have landed: its object may go either way.
    settled = ledger.deleted | ledger.in_flight
    kept = {name: item for name, item in ledger.created.items() if name not in settled}
    found = sum(1 for name in kept if stored.get(name) == kept[name])
    gone = sum(1 for name in ledger.deleted if name not in stored)
    figure(
        "durability under SIGKILL",
        f"{acked_at_kill} writes acknowledged before the kill ({len(kept)} creates kept, "
        f"{len(ledger.deleted)} deletes), after the restart {found}/{len(kept)} creates found "
        f"identical and {gone}/{len(ledger.deleted)} deletes gone; {len(ledger.in_flight)} "
        "in flight (either way)",
    )
    assert {name: stored.get(name) for name in kept} == kept
    assert not (ledger.deleted & stored.keys())
    unexplained = stored.keys() - ledger.created.keys() - ledger.in_flight
    assert unexplained == set()
