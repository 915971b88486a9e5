"""The standalone server's credentials: the public local pair on loopback only, a half-set pair
refused, both said in one line with a non-zero exit (real `manage.py run_management_api`)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import requests

from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET
from local_api.exposure import Refused, is_loopback, served_credentials
from tests.support.standalone import PROJECT_DIR, standalone_server


def _start(tmp_path, *args, **env):
    """Run the command the way `make api` does; it must stop by itself (it is refused)."""
    child_env = {
        key: value for key, value in os.environ.items() if not key.startswith("SYMBL_APP_")
    }
    return subprocess.run(  # noqa: S603
        [
            sys.executable,
            str(PROJECT_DIR / "manage.py"),
            "run_management_api",
            "--port",
            "0",
            "--data",
            str(tmp_path / "api.sqlite3"),
            *args,
        ],
        cwd=PROJECT_DIR,
        env={**child_env, "DJANGO_SETTINGS_MODULE": "symbl_admin.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10", "example.com"])
def test_the_public_pair_is_refused_on_a_non_loopback_address(tmp_path, host):
    result = _start(tmp_path, "--host", host)
    assert result.returncode != 0
    assert result.stderr.splitlines() == [
        f"CommandError: Refusing to serve the public local credentials on {host}: set "
        "SYMBL_APP_ID and SYMBL_APP_SECRET to a pair of your own, or listen on 127.0.0.1."
    ]
    assert result.stdout == ""


def test_the_public_pair_set_explicitly_is_refused_too(tmp_path):
    env = {"SYMBL_APP_ID": LOCAL_APP_ID, "SYMBL_APP_SECRET": LOCAL_APP_SECRET}
    result = _start(tmp_path, "--host", "0.0.0.0", **env)
    assert (result.returncode, result.stderr.count("Refusing")) == (1, 1)


@pytest.mark.parametrize(
    ("env", "given", "missing"),
    [
        ({"SYMBL_APP_SECRET": "only-the-secret"}, "SYMBL_APP_SECRET", "SYMBL_APP_ID"),
        ({"SYMBL_APP_ID": "only-the-id"}, "SYMBL_APP_ID", "SYMBL_APP_SECRET"),
    ],
)
def test_a_half_set_pair_is_refused_in_one_line(tmp_path, env, given, missing):
    result = _start(tmp_path, **env)
    assert result.returncode != 0
    assert result.stderr.splitlines() == [
        f"CommandError: {given} is set but {missing} is not: set both (a pair of your own), "
        "or neither for the public local pair on 127.0.0.1."
    ]


def test_an_own_pair_serves_on_every_address(tmp_path):
    env = {"SYMBL_APP_ID": "own-id", "SYMBL_APP_SECRET": "own-secret-long-enough"}
    body = {"type": "application", "appId": "own-id", "appSecret": "own-secret-long-enough"}
    with (
        standalone_server(tmp_path / "api.sqlite3", env=env, args=("--host", "0.0.0.0")) as url,
        requests.Session() as session,
    ):
        assert url.startswith("http://0.0.0.0:")
        public = {**body, "appId": LOCAL_APP_ID, "appSecret": LOCAL_APP_SECRET}
        token_url = f"{url}/oauth2/token:generate"
        assert session.post(token_url, json=body, timeout=5).status_code == 200
        assert session.post(token_url, json=public, timeout=5).status_code == 401


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost"])
def test_loopback_addresses(host):
    assert is_loopback(host)


@pytest.mark.parametrize(
    "host", ["0.0.0.0", "::", "", "10.0.0.1", "example.com", "127.0.0.1.nip.io"]
)
def test_other_addresses_are_not_loopback(host):
    assert not is_loopback(host)


def test_the_public_pair_on_loopback_is_served():
    assert served_credentials(app_id="", app_secret="", host="127.0.0.1") == (
        LOCAL_APP_ID,
        LOCAL_APP_SECRET,
    )


def test_an_empty_host_is_every_address():
    with pytest.raises(Refused, match="on every address"):
        served_credentials(app_id="", app_secret="", host="")
