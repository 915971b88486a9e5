"""client.tracker_quality.get: over real HTTP against the standalone server (the window's
bound a ValidationFailed), and against a server without /v1/x (ExtensionNotSupported, so the
quality report hides the section) or one answering another shape (a ManagementAPIError)."""

from __future__ import annotations

import pytest

from symbl_admin.management_api import ExtensionNotSupported, ManagementAPIClient
from symbl_admin.management_api.errors import ManagementAPIError, ValidationFailed
from symbl_admin.management_api.sessions import new_session
from tests.support.standalone import standalone_server

from .fake_server import Reply


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET

    path = tmp_path_factory.mktemp("api") / "api.sqlite3"
    with standalone_server(path) as url:
        session = new_session()
        yield ManagementAPIClient(url, LOCAL_APP_ID, LOCAL_APP_SECRET, session=session)
        session.close()


def test_the_quality_of_an_account_without_conversations(client):
    tracker = client.trackers.create(name="Pricing", vocabulary=["price list"])
    found = client.tracker_quality.get(last=50)
    assert (found.last, found.conversations, found.overlap_percent) == (50, 0, 80)
    assert [(t.id, t.name) for t in found.quiet] == [(tracker.id, "Pricing")]
    assert found.overlaps == () and found.silent == ()


def test_a_window_out_of_bounds_is_a_validation_error(client):
    with pytest.raises(ValidationFailed, match="from 1 to 10,000"):
        client.tracker_quality.get(last=10_001)


def test_a_server_without_it_says_not_supported(make_client, fake_api):
    fake_api.on("GET", "/v1/x/trackers/quality", Reply(404, {"message": "No such path"}))
    with pytest.raises(ExtensionNotSupported):
        make_client().tracker_quality.get(last=100)


def test_an_answer_of_another_shape_is_an_error_not_a_crash(make_client, fake_api):
    fake_api.on("GET", "/v1/x/trackers/quality", Reply(200, {"quiet": "nope"}))
    with pytest.raises(ManagementAPIError, match="unexpected shape"):
        make_client().tracker_quality.get(last=100)
