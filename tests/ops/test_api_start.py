"""`make api` in a fresh checkout where `make run` never ran: no DJANGO_SECRET_KEY, no
var/secret-key. The standalone Management API signs nothing, so it starts and serves anyway,
and it leaves no key behind."""

from __future__ import annotations

import requests

from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET

from .checkout import free_port, make_checkout, run, serving


def test_make_api_starts_without_a_secret_key(tmp_path):
    root = make_checkout(tmp_path)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    body = {"type": "application", "appId": LOCAL_APP_ID, "appSecret": LOCAL_APP_SECRET}
    with serving("make api", root, f"{url}/v1/manage/trackers", API_PORT=str(port)) as server:
        response = requests.post(f"{url}/oauth2/token:generate", json=body, timeout=5)
        assert response.status_code == 200, server.output()
    assert not (root / "var" / "secret-key").exists()
    assert not (root / "var" / "dev-secret-key").exists()


def test_other_commands_make_the_key_make_run_would(tmp_path):
    root = make_checkout(tmp_path)
    result = run(".venv/bin/python manage.py check", root)
    assert result.returncode == 0, result.stdout
    assert (root / "var" / "secret-key").stat().st_mode & 0o777 == 0o600
