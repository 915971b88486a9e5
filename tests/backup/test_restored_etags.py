"""A restored server never answers 304 for data that differs from what a client kept.

The standalone server's ETags name (epoch, revision). A restore rewinds the revision numbers
to the backup's; were the epoch kept, the first write after the restore would bring back a
revision a client already holds an ETag for, with different data. `manage.py restore` writes
new epochs, so every ETag from before the restore is answered in full. Over real HTTP."""

from __future__ import annotations

import requests

from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET
from tests.support.standalone import StandaloneServer

from .checkouts import Checkout

TIMEOUT = (5.0, 30.0)


def _session(base_url: str) -> requests.Session:
    session = requests.Session()
    token = session.post(
        f"{base_url}/oauth2/token:generate",
        json={"type": "application", "appId": LOCAL_APP_ID, "appSecret": LOCAL_APP_SECRET},
        timeout=TIMEOUT,
    ).json()["accessToken"]
    session.headers["Authorization"] = f"Bearer {token}"
    return session


def _put(session: requests.Session, url: str, phrases: list[str]) -> None:
    answer = session.put(url, json={"name": "Pricing", "vocabulary": phrases}, timeout=TIMEOUT)
    assert answer.status_code == 200, answer.text


def _asked(session: requests.Session, url: str, etag: str) -> requests.Response:
    return session.get(url, headers={"If-None-Match": etag}, timeout=TIMEOUT)


def test_etags_kept_from_before_a_restore_get_the_restored_data_not_304(tmp_path):
    checkout = Checkout(tmp_path / "a")
    checkout.manage("migrate", "--noinput")
    env = checkout.env()
    server = StandaloneServer(
        checkout.var / "management-api.sqlite3",
        env={k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY", "SYMBL_VAR_DIR")},
    )
    base = server.start()
    try:
        session = _session(base)
        created = session.post(
            f"{base}/v1/manage/tracker",
            json={"name": "Pricing", "vocabulary": ["price"]},
            timeout=TIMEOUT,
        ).json()["tracker"]
        checkout.manage("backup", str(tmp_path / "backup"))  # taken while the server serves
        paths = (f"/v1/manage/tracker/{created['id']}", "/v1/manage/trackers")
        _put(session, base + paths[0], ["price", "seen by the client"])
        kept = [session.get(base + path, timeout=TIMEOUT).headers["ETag"] for path in paths]
        asked = [
            _asked(session, base + p, etag).status_code for p, etag in zip(paths, kept, strict=True)
        ]
        assert asked == [304, 304]  # what the client kept is current
    finally:
        server.stop()

    checkout.manage("restore", str(tmp_path / "backup"), "--yes", "--force")
    base = server.start()
    try:
        session = _session(base)
        _put(session, base + paths[0], ["price", "written after the restore"])  # same revision n
        again_one, again_every = (
            _asked(session, base + p, e) for p, e in zip(paths, kept, strict=True)
        )
    finally:
        server.stop()
    assert (again_one.status_code, again_every.status_code) == (200, 200)
    assert again_one.json()["tracker"]["vocabulary"] == ["price", "written after the restore"]
    assert again_every.json()["trackers"][0]["vocabulary"] == ["price", "written after the restore"]
