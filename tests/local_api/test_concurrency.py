"""Concurrent tracker writes: each answers 2xx or 429, and exactly the 2xx ones exist."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

WRITERS = 8


def _create_at_once(api, names):
    barrier = threading.Barrier(len(names))

    def create(name):
        client = api.new_session()
        barrier.wait()
        try:
            return name, client.post("/v1/manage/tracker", json={"name": name, "vocabulary": ["x"]})
        finally:
            client.close()

    with ThreadPoolExecutor(len(names)) as pool:
        return list(pool.map(create, names))


def test_parallel_creates_answer_201_or_429_and_at_least_one_lands(api, unique):
    results = _create_at_once(api, [unique("Parallel") for _ in range(WRITERS)])
    assert {response.status_code for _, response in results} - {429} == {201}


def test_parallel_creates_leave_exactly_the_201_ones(api, unique):
    results = _create_at_once(api, [unique("Parallel") for _ in range(WRITERS)])
    created = {name for name, response in results if response.status_code == 201}
    names = {name for name, _ in results}
    listed = {t["name"] for t in api.get("/v1/manage/trackers").json()["trackers"]}
    assert listed & names == created and created


def test_parallel_creates_of_one_name_create_it_once(api, unique):
    name = unique("Same")
    results = _create_at_once(api, [name] * WRITERS)
    statuses = [response.status_code for _, response in results]
    assert statuses.count(201) == 1 and set(statuses) <= {201, 409, 429}


def test_parallel_group_creates_of_one_name_create_it_once(api, unique):
    name = unique("Same group")
    barrier = threading.Barrier(WRITERS)

    def create(_):
        client = api.new_session()
        barrier.wait()
        body = {"name": name, "criteria": "conversation.metadata.agentId==x"}
        try:
            return client.post("/v1/manage/group", json=body).status_code
        finally:
            client.close()

    with ThreadPoolExecutor(WRITERS) as pool:
        statuses = list(pool.map(create, range(WRITERS)))
    assert sorted(statuses) == [201] + [409] * (WRITERS - 1)
