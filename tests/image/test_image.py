"""The container image (Dockerfile), built with podman and tried in fresh containers, as the
README's "Docker" section runs it: a migrate step, a created user, the dashboard, the
standalone Management API. `make image-test` runs this file (about three minutes, the base
image included the first time); `make test` leaves it out (marker `image`)."""

from __future__ import annotations

import time

import pytest
import requests

from tests.support.dashboard import DashboardUser
from tests.support.layout import PRODUCT

from .conftest import APP_ID, APP_SECRET, TIMINGS, Containers, logs_on_failure

pytestmark = pytest.mark.image

HOST = "example.com"
USERNAME, PASSWORD = "owner", "image-test-password-4d2a9c71"
API_COMMAND = (
    "python", "manage.py", "run_management_api", "--host", "0.0.0.0", "--port", "8001",
    "--data", "/app/var/management-api.sqlite3",
)  # fmt: skip
API_ENV = {"SYMBL_APP_ID": APP_ID, "SYMBL_APP_SECRET": APP_SECRET}


def _wait_until_healthy(containers: Containers, name: str, seconds: float = 60) -> None:
    """Runs the image's HEALTHCHECK command (podman schedules none here without systemd)
    until it passes."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if containers.engine.status("healthcheck", "run", name) == 0:
            return
        time.sleep(0.5)
    raise AssertionError(f"{name} never healthy:\n{logs_on_failure(containers.engine, name)}")


def _migrated_volume(containers: Containers) -> str:
    """A new named volume after the README's first run: `migrate`, then a created user."""
    volume = containers.volume()
    containers.once(volume, "migrate")
    containers.once(
        volume, "python", "manage.py", "createsuperuser", "--noinput",
        "--username", USERNAME, "--email", "owner@example.com",
        env={"DJANGO_SUPERUSER_PASSWORD": PASSWORD},
    )  # fmt: skip
    return volume


def _dashboard(containers: Containers, volume: str) -> tuple[str, DashboardUser]:
    name, ports = containers.start(volume=volume, env={"DJANGO_ALLOWED_HOSTS": HOST})
    _wait_until_healthy(containers, name)
    user = DashboardUser(f"http://127.0.0.1:{ports[8000]}")
    user.session.headers["Host"] = HOST
    return name, user


def test_runs_as_uid_10001_with_the_code_read_only_and_only_the_volume_writable(containers, figure):
    script = (
        "id -u; id -g; touch /app/manage.py 2>/dev/null && echo code-writable; "
        "touch /app/var/probe && echo var-writable; "
        "find / -xdev -writable -not -path '/proc/*' -not -path '/dev/*' -not -path '/tmp*' "
        "-not -path '/var/tmp*' -not -path '/run/*' -not -path '/app/var*' ! -type l 2>/dev/null; true"
    )
    volume = containers.volume()
    out = containers.once(volume, "sh", "-c", script).split()
    size = containers.engine("image", "inspect", "--format", "{{.Size}}", containers.image)
    figure(
        "image",
        f"base image ready in {TIMINGS.get('base image', 0):.0f} s, built in "
        f"{TIMINGS.get('build', 0):.0f} s, {int(size) / 1e6:.0f} MB",
    )
    assert out == ["10001", "10001", "var-writable"]


def test_the_image_holds_only_what_runs(containers):
    listing = containers.once(
        containers.volume(), "sh", "-c",
        "ls -A /app; find / -xdev -name '*.egg-info' 2>/dev/null; true",
    ).split()  # fmt: skip
    assert sorted(listing) == sorted(
        [*PRODUCT, "__pycache__", "docker", "manage.py", "pyproject.toml", "requirements.lock",
         "static", "staticfiles", "templates", "var"]
    )  # fmt: skip


def test_serving_an_unmigrated_volume_stops_with_one_line_saying_to_migrate(containers):
    out = containers.once(containers.volume(), check=False)
    assert "The database is not migrated: run this image once with the argument `migrate`" in out


def test_healthcheck_passes_with_only_example_com_allowed(containers):
    name, user = _dashboard(containers, _migrated_volume(containers))
    # The hosts are in force: the same /healthz under the address itself is refused.
    refused = requests.get(user.base_url + "/healthz", timeout=10)
    assert (containers.engine.status("healthcheck", "run", name), refused.status_code) == (0, 400)


def test_a_created_user_signs_in_and_again_from_a_new_container_on_the_volume(containers, figure):
    started = time.monotonic()
    volume = _migrated_volume(containers)
    migrated = time.monotonic()
    first, user = _dashboard(containers, volume)
    figure(
        "image",
        f"first run: migrate and createsuperuser {migrated - started:.1f} s, "
        f"then healthy {time.monotonic() - migrated:.1f} s after the start",
    )
    page = user.get("/accounts/login/")
    assert (page.status_code, 'name="csrfmiddlewaretoken"' in page.text) == (200, True)
    signed_in = user.sign_in(USERNAME, PASSWORD)
    assert (signed_in.status_code, signed_in.headers.get("Location")) == (302, "/")
    containers.remove(first)

    _, again = _dashboard(containers, volume)
    answer = again.sign_in(USERNAME, PASSWORD)
    overview = again.get("/")
    assert (answer.status_code, overview.status_code, USERNAME in overview.text) == (302, 200, True)


def test_the_same_image_serves_the_management_api_and_the_dashboard_uses_it(containers):
    """README "Docker": the API and the dashboard on one network, the API by its name."""
    network = containers.network()
    api, ports = containers.start(
        *API_COMMAND, volume=containers.volume(), env=API_ENV, ports=(8001,), network=network
    )
    base = f"http://127.0.0.1:{ports[8001]}"
    _wait_until_healthy(containers, api)
    token = requests.post(
        base + "/oauth2/token:generate",
        json={"type": "application", "appId": APP_ID, "appSecret": APP_SECRET},
        timeout=10,
    ).json()["accessToken"]
    created = requests.post(
        base + "/v1/manage/tracker",
        json={"name": "Image test", "vocabulary": ["from the image"]},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    listed = requests.get(
        base + "/v1/manage/trackers", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert (created.status_code, [t["name"] for t in listed.json()["trackers"]]) == (
        201,
        ["Image test"],
    )

    env = {"DJANGO_ALLOWED_HOSTS": HOST, "SYMBL_API_BASE_URL": f"http://{api}:8001", **API_ENV}
    dashboard, web = containers.start(volume=_migrated_volume(containers), env=env, network=network)
    _wait_until_healthy(containers, dashboard)
    user = DashboardUser(f"http://127.0.0.1:{web[8000]}")
    user.session.headers["Host"] = HOST
    user.sign_in(USERNAME, PASSWORD)
    trackers = user.get("/trackers/")
    assert (trackers.status_code, "Image test" in trackers.text) == (200, True), trackers.text[
        -2000:
    ]
