"""The Dockerfile cannot be built here; these checks keep its essentials from rotting."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def _final_stage() -> str:
    return DOCKERFILE.split("\nFROM ")[-1]


def test_dockerfile_is_multi_stage_on_slim_python_311():
    assert len(re.findall(r"^FROM python:3\.11-slim", DOCKERFILE, re.M)) == 2


def test_dockerfile_runs_as_non_root():
    users = re.findall(r"^USER (\S+)", _final_stage(), re.M)
    assert users and users[-1] not in {"root", "0"}


ENTRYPOINT = (ROOT / "docker" / "entrypoint.sh").read_text(encoding="utf-8")


def test_dockerfile_has_healthcheck_on_healthz():
    assert re.search(r"^HEALTHCHECK ", _final_stage(), re.M)
    assert 'CMD ["python", "/app/docker/healthcheck.py"]' in _final_stage()
    assert "/healthz" in (ROOT / "docker" / "healthcheck.py").read_text(encoding="utf-8")


def test_the_image_serves_with_gunicorn_workers_threads_from_env():
    assert re.search(r"^ENTRYPOINT .*entrypoint\.sh", _final_stage(), re.M)
    serve = ENTRYPOINT[ENTRYPOINT.index("serve)") :]
    assert "gunicorn symbl_admin.wsgi:application" in serve
    assert '"${WEB_CONCURRENCY}"' in serve
    assert '"${GUNICORN_THREADS}"' in serve


def test_dockerfile_collects_static_at_build_time():
    assert "collectstatic" in DOCKERFILE


def test_dockerfile_bakes_in_no_secret():
    env_lines = re.findall(r"^(?:ENV|ARG) .*$", DOCKERFILE, re.M)
    for line in env_lines:
        assert not re.search(r"(SECRET|PASSWORD|TOKEN)\w*=", line), line


def test_check_deploy_prints_no_warnings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "symbl_admin.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "k" + "Zq8-xR2v_Lm9#pT4wB7yN1cF6hJ3sD0aG5eU8iO2kQ7rX4zV9b",
        "DJANGO_ALLOWED_HOSTS": "example.com",
        "SYMBL_VAR_DIR": str(tmp_path),
    }
    env.pop("DJANGO_HTTPS", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def test_settings_refuse_to_start_without_secret_when_not_debug(tmp_path):
    env = {**os.environ, "DJANGO_DEBUG": "0", "SYMBL_VAR_DIR": str(tmp_path)}
    env.pop("DJANGO_SECRET_KEY", None)
    env["DJANGO_SETTINGS_MODULE"] = "symbl_admin.settings"
    # As gunicorn loads it (the WSGI app), not through manage.py, which makes a checkout's key.
    result = subprocess.run(
        [sys.executable, "-c", "import symbl_admin.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert not (tmp_path / "secret-key").exists()
