"""Fixtures for the local Management API tests.

`api` runs each contract test twice: over real HTTP against one standalone server started
for the whole session ("http"), and in-process through WSGIAdapter ("embedded"). Tests share
the account, so they use unique names (`unique`) and never depend on what else exists.
"""

from __future__ import annotations

import fcntl
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET
from local_api.app import create_app
from local_api.write_lock import lock_path_for
from symbl_admin.management_api.embedded import EMBEDDED_BASE_URL, WSGIAdapter
from tests.support.standalone import standalone_server

TIMEOUT = (5.0, 30.0)
_MISSING = object()


@dataclass
class Api:
    """One way to reach the local Management API, with a token already fetched."""

    mode: str
    base_url: str
    session: requests.Session
    data_path: Path
    token: str = ""

    def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = _MISSING,
        auth: bool = True,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        all_headers = {"Authorization": f"Bearer {self.token}"} if auth else {}
        all_headers.update(headers or {})
        if json is not _MISSING:
            kwargs["json"] = json
        kwargs.setdefault("timeout", TIMEOUT)
        return self.session.request(method, self.base_url + path, headers=all_headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("DELETE", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("PATCH", path, **kwargs)

    def fetch_token(self) -> str:
        response = self.post(
            "/oauth2/token:generate",
            auth=False,
            json={"type": "application", "appId": LOCAL_APP_ID, "appSecret": LOCAL_APP_SECRET},
        )
        assert response.status_code == 200, response.text
        return response.json()["accessToken"]

    def new_session(self) -> Api:
        """The same API through a fresh session (requests sessions are not thread-safe)."""
        session = requests.Session()
        if self.mode == "embedded":
            session.mount(EMBEDDED_BASE_URL, self.session.get_adapter(EMBEDDED_BASE_URL))
        return Api(self.mode, self.base_url, session, self.data_path, self.token)

    def close(self) -> None:
        self.session.close()

    def create_tracker(self, name: str, vocabulary: list[str] | None = None) -> dict[str, Any]:
        response = self.post(
            "/v1/manage/tracker", json={"name": name, "vocabulary": vocabulary or ["hello"]}
        )
        assert response.status_code == 201, response.text
        return response.json()["tracker"]

    def create_group(
        self, name: str, criteria: str = "conversation.metadata.agentId==johndoe", **extra: Any
    ) -> dict[str, Any]:
        response = self.post("/v1/manage/group", json={"name": name, "criteria": criteria, **extra})
        assert response.status_code == 201, response.text
        return response.json()["group"]


def make_embedded_api(data_path: Path, **app_kwargs: Any) -> Api:
    session = requests.Session()
    session.mount(
        EMBEDDED_BASE_URL, WSGIAdapter(create_app(data_path=str(data_path), **app_kwargs))
    )
    api = Api("embedded", EMBEDDED_BASE_URL, session, data_path)
    api.token = api.fetch_token()
    return api


def make_http_api(base_url: str, data_path: Path) -> Api:
    api = Api("http", base_url, requests.Session(), data_path)
    api.token = api.fetch_token()
    return api


@pytest.fixture(scope="session")
def standalone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """One standalone server for the session: 2 worker processes with 4 threads each."""
    data_path = tmp_path_factory.mktemp("standalone") / "api.sqlite3"
    with standalone_server(data_path, args=("--workers", "2", "--threads", "4")) as url:
        yield url, data_path


@pytest.fixture(scope="session")
def http_api(standalone: tuple[str, Path]) -> Iterator[Api]:
    api = make_http_api(*standalone)
    yield api
    api.close()  # an idle keep-alive connection would slow the server's shutdown


@pytest.fixture(scope="session")
def embedded_api(tmp_path_factory: pytest.TempPathFactory) -> Api:
    return make_embedded_api(tmp_path_factory.mktemp("embedded") / "api.sqlite3")


@pytest.fixture(params=["http", "embedded"])
def api(request: pytest.FixtureRequest) -> Api:
    """The contract under test, over HTTP and embedded; the same tests run against both."""
    return request.getfixturevalue(f"{request.param}_api")


@pytest.fixture
def unique() -> Any:
    """unique("Sales") -> "Sales 3f9a0c1b": names no other test uses."""

    def make(prefix: str = "Item") -> str:
        return f"{prefix} {uuid.uuid4().hex[:10]}"

    return make


@pytest.fixture
def hold_write_lock() -> Any:
    """Hold an account's tracker write lock, as an in-flight create/update would."""
    held: list[int] = []

    def hold(data_path: Path) -> None:
        fd = os.open(lock_path_for(data_path), os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.append(fd)

    yield hold
    for fd in held:
        os.close(fd)  # closing the descriptor releases the flock
