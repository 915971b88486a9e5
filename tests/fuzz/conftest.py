"""Fuzzing fixtures: the embedded Management API behind a recorder of request body sizes, and
the count of examples each test ran (the run's "figures")."""

from __future__ import annotations

import io
import threading

import pytest

from symbl_admin.contract import MAX_BODY_BYTES

_sizes: list[int] = []
_lock = threading.Lock()


def recording_app():
    """SYMBL_API_EMBEDDED_APP for the fuzz tests: the local server, every body measured."""
    from local_api.embedded import EmbeddedApp, wsgi_app

    inner = wsgi_app()

    def app(environ, start_response):
        body = environ["wsgi.input"].read()
        with _lock:
            _sizes.append(len(body))
        environ["wsgi.input"] = io.BytesIO(body)
        return inner.app(environ, start_response)

    return EmbeddedApp(app, inner.app_id, inner.app_secret)


@pytest.fixture
def upstream(settings, tmp_path):
    """A fresh embedded account whose request bodies are recorded; after the test, none of
    them may be over the API's 1 MB limit (the client must refuse such a body itself)."""
    from symbl_admin.management_api import get_client

    settings.SYMBL_API_BASE_URL = ""
    settings.SYMBL_LOCAL_API_DATA = str(tmp_path / "management-api.sqlite3")
    settings.SYMBL_API_EMBEDDED_APP = "tests.fuzz.conftest.recording_app"
    with _lock:
        _sizes.clear()
    client = get_client()
    yield client
    from local_api.embedded import forget

    forget(settings.SYMBL_LOCAL_API_DATA)  # its store's connections close with it
    with _lock:
        sizes = list(_sizes)
    assert max(sizes, default=0) <= MAX_BODY_BYTES


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Count the examples Hypothesis ran (its documented hook: `inner_test` may be replaced)
    and record them in the run's figures (tests/support/figures.py)."""
    hypothesis = getattr(item.obj, "hypothesis", None)
    if hypothesis is None:
        return (yield)
    inner, ran = hypothesis.inner_test, [0]

    def counted(*args, **kwargs):
        ran[0] += 1
        return inner(*args, **kwargs)

    hypothesis.inner_test = counted
    try:
        return (yield)
    finally:
        hypothesis.inner_test = inner
        item.user_properties.append(("figure", ["text", "fuzzing", str(ran[0])]))
        counts = {"examples": ran[0], "fuzzed tests": 1}
        item.user_properties.append(("figure", ["count", "fuzzing", counts]))
