"""Fixtures for the client tests: a real-socket test double, a file cache, a client factory."""

from __future__ import annotations

import socket

import pytest
from django.core.cache.backends.filebased import FileBasedCache

from symbl_admin.management_api import ManagementAPIClient
from symbl_admin.management_api.sessions import new_session

from .fake_server import APP_ID, APP_SECRET, FakeManagementAPI


class Sleeps:
    """A fake sleep that records each delay and advances a fake clock by it."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self.offset = 0.0

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.offset += seconds


@pytest.fixture
def fake_api():
    api = FakeManagementAPI().start()
    yield api
    api.stop()


@pytest.fixture
def token_cache(tmp_path):
    """The cache kind production uses (shared by workers), private to the test."""
    return FileBasedCache(str(tmp_path / "cache"), {})


@pytest.fixture
def sleeps():
    return Sleeps()


@pytest.fixture
def make_client(fake_api, token_cache, sleeps):
    """make_client(**overrides) → a client on the test double with a fake sleep and jitter."""
    sessions = []

    def make(**overrides) -> ManagementAPIClient:
        session = new_session()
        sessions.append(session)
        options = {
            "session": session,
            "connect_timeout": 1.0,
            "read_timeout": 2.0,
            "deadline": 5.0,
            "sleep": sleeps,
            "cache": token_cache,
            "rand": lambda: 0.5,
        }
        options.update(overrides)
        base_url = options.pop("base_url", fake_api.url)
        app_id = options.pop("app_id", APP_ID)
        app_secret = options.pop("app_secret", APP_SECRET)
        return ManagementAPIClient(base_url, app_id, app_secret, **options)

    yield make
    for session in sessions:
        session.close()


@pytest.fixture
def refused_url():
    """A base URL on 127.0.0.1 where nothing listens: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
