"""Where SECRET_KEY comes from (symbl_admin/secret_key.py), and what manage.py says without one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from symbl_admin.secret_key import MissingSecretKey, generate_key_file, resolve

ROOT = Path(__file__).resolve().parents[2]


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_the_environment_wins_over_the_generated_file(tmp_path):
    generate_key_file(tmp_path / "secret-key")
    assert resolve(environ={"DJANGO_SECRET_KEY": "from-env"}, var_dir=tmp_path, debug=False) == (
        "from-env"
    )


def test_without_the_variable_the_key_make_run_generated_is_read(tmp_path):
    (tmp_path / "secret-key").write_text("generated-key\n")
    (tmp_path / "secret-key").chmod(0o600)
    assert resolve(environ={}, var_dir=tmp_path, debug=False) == "generated-key"


def test_a_key_file_others_may_read_is_refused(tmp_path):
    (tmp_path / "secret-key").write_text("generated-key\n")
    (tmp_path / "secret-key").chmod(0o640)
    with pytest.raises(MissingSecretKey, match="chmod 600"):
        resolve(environ={}, var_dir=tmp_path, debug=False)


def test_an_empty_key_file_is_refused(tmp_path):
    (tmp_path / "secret-key").touch(mode=0o600)
    with pytest.raises(MissingSecretKey, match="is empty"):
        resolve(environ={}, var_dir=tmp_path, debug=False)


def test_debug_off_never_invents_a_key(tmp_path):
    with pytest.raises(MissingSecretKey, match="run `make run` once, or set DJANGO_SECRET_KEY"):
        resolve(environ={}, var_dir=tmp_path, debug=False)
    assert list(tmp_path.iterdir()) == []


def test_debug_on_generates_a_development_key_once(tmp_path):
    first = resolve(environ={}, var_dir=tmp_path, debug=True)
    assert (len(first) >= 50, resolve(environ={}, var_dir=tmp_path, debug=True)) == (True, first)


def test_generated_key_files_are_readable_only_by_their_owner(tmp_path):
    old_umask = os.umask(0)  # even with a permissive umask
    try:
        assert generate_key_file(tmp_path / "secret-key") is True
    finally:
        os.umask(old_umask)
    assert _mode(tmp_path / "secret-key") == 0o600


def test_generating_keeps_an_existing_key(tmp_path):
    generate_key_file(tmp_path / "secret-key")
    before = (tmp_path / "secret-key").read_text()
    assert (generate_key_file(tmp_path / "secret-key"), before) == (
        False,
        (tmp_path / "secret-key").read_text(),
    )


def _manage(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SYMBL_"))}
    env.update(SYMBL_VAR_DIR=str(tmp_path), **extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_manage_py_without_any_key_generates_the_one_make_run_would(tmp_path):
    result = _manage(tmp_path, "check")
    assert (result.returncode, result.stderr) == (0, "")
    key_file = tmp_path / "secret-key"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    key = key_file.read_text()
    assert _manage(tmp_path, "check").returncode == 0 and key_file.read_text() == key  # kept
    assert key.strip() not in result.stdout + result.stderr  # never shown


def test_a_key_that_cannot_be_created_is_one_line_saying_what_to_do(tmp_path, monkeypatch):
    from symbl_admin import secret_key

    monkeypatch.setattr(secret_key, "_generate", True)
    blocked = tmp_path / "a-file"
    blocked.write_text("")  # var/ named as a file: no key can be created under it, even by root
    with pytest.raises(MissingSecretKey, match="could not be created .*set DJANGO_SECRET_KEY"):
        resolve(environ={}, var_dir=blocked, debug=False)


def test_manage_py_reads_the_generated_key(tmp_path):
    generate_key_file(tmp_path / "secret-key")
    result = _manage(tmp_path, "check")
    assert (result.returncode, result.stderr) == (0, "")


def test_check_deploy_is_clean_with_the_generated_key(tmp_path):
    generate_key_file(tmp_path / "secret-key")
    result = _manage(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING", DJANGO_ALLOWED_HOSTS="x.example"
    )
    assert (result.returncode, "WARNING" in result.stderr + result.stdout) == (0, False)
