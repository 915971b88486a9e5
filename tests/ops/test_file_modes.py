"""Every data file and folder the project writes is readable by its owner only (0600 files,
0700 folders): started the way they start, under a umask of 022, the files stat'ed while the
servers run (SQLite's -wal and -shm exist only then).

`make run` in a fresh checkout; the image's way (`manage.py migrate`, then gunicorn on
symbl_admin.wsgi); the standalone Management API; `verify_audit`'s checkpoints; and files an
older version left readable, tightened at the next start.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.dashboard import DashboardUser, dashboard_server, django_env, manage
from tests.support.standalone import standalone_server

from .checkout import free_port, make_checkout, serving

PASSWORD = "file-modes-demo-password-42"


@contextlib.contextmanager
def umask_022() -> Iterator[None]:
    """Children started inside inherit a umask that lets everyone read what they create."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def readable_by_others(root: Path) -> dict[str, str]:
    """{path under root: its mode} for root and everything under it open to group or other."""
    loose = {}
    for path in [root, *root.rglob("*")]:
        with contextlib.suppress(FileNotFoundError):
            mode = path.lstat().st_mode
            if not stat.S_ISLNK(mode) and stat.S_IMODE(mode) & 0o077:
                loose[str(path.relative_to(root.parent))] = oct(stat.S_IMODE(mode))
    return loose


def _use_the_dashboard(url: str) -> None:
    """Sign in and open pages that read both databases, so their -wal/-shm exist."""
    user = DashboardUser(url)
    assert user.sign_in("admin", PASSWORD).status_code == 302
    assert user.get("/trackers/").status_code == 200
    assert user.get("/audit/").status_code == 200


def _sqlite_files(folder: Path, name: str) -> list[Path]:
    return [folder / (name + suffix) for suffix in ("", "-wal", "-shm")]


def test_make_run_writes_owner_only(tmp_path):
    root = make_checkout(tmp_path)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with (
        umask_022(),
        serving("make run", root, f"{url}/healthz", PORT=str(port), DEMO_PASSWORD=PASSWORD),
    ):
        _use_the_dashboard(url)
        var = root / "var"
        written = _sqlite_files(var, "dashboard.sqlite3") + _sqlite_files(
            var, "management-api.sqlite3"
        )
        assert all(path.exists() for path in written), sorted(os.listdir(var))
        assert readable_by_others(var) == {}


def test_the_images_start_writes_owner_only(tmp_path):
    var = tmp_path / "var"
    with umask_022():
        env = django_env(f"sqlite:///{var / 'dashboard.sqlite3'}", var, DEMO_PASSWORD=PASSWORD)
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "create_demo_users")
        with dashboard_server(env) as server:
            _use_the_dashboard(server.url)
            assert all(p.exists() for p in _sqlite_files(var, "dashboard.sqlite3"))
            assert readable_by_others(var) == {}


def test_the_standalone_server_writes_owner_only(tmp_path):
    data = tmp_path / "api-data" / "api.sqlite3"  # its folder too is the server's to create
    with umask_022(), standalone_server(data) as url:
        import requests

        from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET

        body = {"type": "application", "appId": LOCAL_APP_ID, "appSecret": LOCAL_APP_SECRET}
        assert requests.post(f"{url}/oauth2/token:generate", json=body, timeout=5).ok
        assert all(p.exists() for p in _sqlite_files(data.parent, "api.sqlite3"))
        assert readable_by_others(data.parent) == {}


def test_audit_checkpoints_are_owner_only(tmp_path):
    var, checkpoints = tmp_path / "var", tmp_path / "elsewhere" / "checkpoints"
    with umask_022():
        env = django_env(
            f"sqlite:///{var / 'dashboard.sqlite3'}", var, AUDIT_CHECKPOINT_DIR=str(checkpoints)
        )
        manage(env, "migrate", "--noinput", "-v", "0")
        assert "Audit log OK" in manage(env, "verify_audit").stdout
    assert sorted(os.listdir(checkpoints))  # it wrote some
    assert readable_by_others(checkpoints) == {}


@pytest.mark.parametrize("name", ["dashboard.sqlite3", "dashboard.sqlite3-wal", "demo-password"])
def test_what_an_older_version_left_readable_is_tightened_at_start(tmp_path, name):
    var = tmp_path / "var"
    env = django_env(f"sqlite:///{var / 'dashboard.sqlite3'}", var)
    manage(env, "migrate", "--noinput", "-v", "0")
    (var / name).touch()
    for path in (var, var / name):
        path.chmod(0o755 if path.is_dir() else 0o644)
    manage(env, "check")
    assert readable_by_others(var) == {}
