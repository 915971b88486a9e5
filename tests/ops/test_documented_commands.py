"""Every command README.md shows works as shown, in a checkout where `make run` ran.

The commands are read from README.md: each line of its ```sh blocks and each inline code span
that starts with a program (make, .venv/bin/python, python, docker, apt-get), with optional
VAR=value in front. COMMANDS declares how each one is checked; a command in the README that is
not declared, or a declared one the README dropped, fails the first test.

Each runs in a fresh copy of the tree (tests/ops/checkout.py) where `make run` ran once, with
every DJANGO_*/SYMBL_* variable removed. The one liberty: the README's port numbers become
free ports (PORT/API_PORT for the commands that use the defaults), so nothing collides, and
the PostgreSQL of "Running at scale" is a private cluster on a free port (its tests skip loudly
where PostgreSQL is not installed, like tests/postgres).
"""

from __future__ import annotations

import os
import pty
import re
import selectors
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tester.scoring import DEFAULT_THRESHOLD
from tests.support.postgres import start_for_tests

from .checkout import ROOT, clean_env, free_port, get, make_checkout, run, serving

README = (ROOT / "README.md").read_text(encoding="utf-8")
PROGRAM = r"(?:[A-Z_]+=\S+ )*(?:make|\.venv/bin/python|python|docker|apt-get)\b"


@dataclass(frozen=True)
class Runs:
    """Exits 0, printing `expect`; `fresh`: in a copy of its own (it changes files);
    `postgres`: against the README's PostgreSQL (see `readme_postgres`)."""

    expect: str
    fresh: bool = False
    postgres: bool = False


@dataclass(frozen=True)
class Serves:
    """Answers HTTP at `probe` ("web": the dashboard's /healthz; "api": the API's token
    endpoint) and prints `expect`; `needs_api`: a standalone API is started first at the
    README's port 8001, and the dashboard's /readyz must then answer 200."""

    probe: str
    expect: str = ""
    needs_api: bool = False
    postgres: bool = False


@dataclass(frozen=True)
class Interactive:
    """Answers the prompts in `answers` (prompt fragment, reply), exits 0 printing `expect`."""

    answers: tuple[tuple[str, str], ...]
    expect: str


@dataclass(frozen=True)
class Restores:
    """Exits 0 printing `expect`, run in its own checkout (`into`: "fresh", one where `make run`
    never ran; "copy", a copy of the one where it ran) after the shared checkout was backed up
    to ../symbl-backups/2026-12-08 beside it; `answers` as for Interactive."""

    into: str
    expect: str = "Restore complete."
    answers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class InImage:
    """A Docker command: `make image-test` runs it, with podman, in this test of
    tests/image/test_image.py (names, ports and variables its own)."""

    test: str


@dataclass(frozen=True)
class NotHere:
    """Not run by this test, and why."""

    reason: str


SUPERUSER_PASSWORD = "correct-horse-battery-staple-42"
API = ".venv/bin/python manage.py run_management_api --port 8001 --data var/api.sqlite3 --workers 2 --threads 4"  # noqa: E501
# "Running at scale": a PostgreSQL at 127.0.0.1:5432, role symbl/symbl (see readme_postgres).
PG = "postgres://symbl:symbl@127.0.0.1:5432"
PG_ADMIN = f"DATABASE_URL={PG}/symbl_admin"
BACKUP = "../symbl-backups/2026-12-08"  # "Backup and restore": beside the checkout
# README "Docker": each command and the image test that runs it.
_FIRST_RUN = "test_a_created_user_signs_in_and_again_from_a_new_container_on_the_volume"
_API = "test_the_same_image_serves_the_management_api_and_the_dashboard_uses_it"
_SERVE = "docker run -d --name symbl-admin --restart unless-stopped"
_ENV = "--env-file symbl.env"
_VAR = "-v symbl-data:/app/var symbl-admin"
DOCKER = {
    "docker build -t symbl-admin .": "image (the fixture)",
    "docker volume create symbl-data": _FIRST_RUN,
    f"docker run --rm {_ENV} {_VAR} migrate": _FIRST_RUN,
    f"docker run --rm -it {_ENV} {_VAR} python manage.py createsuperuser": _FIRST_RUN,
    f"{_SERVE} -p 8000:8000 {_ENV} {_VAR}": _FIRST_RUN,
    "docker rm -f symbl-admin": _FIRST_RUN,
    "docker network create symbl": _API,
    "docker volume create symbl-api-data": _API,
    f"docker run -d --name symbl-api --restart unless-stopped --network symbl {_ENV} "
    "-v symbl-api-data:/app/var symbl-admin python manage.py run_management_api --host 0.0.0.0 "
    "--port 8001 --data /app/var/management-api.sqlite3": _API,
    f"{_SERVE} --network symbl -p 8000:8000 {_ENV} -e SYMBL_API_BASE_URL=http://symbl-api:8001 "
    f"{_VAR}": _API,
}
COMMANDS = {
    "make run": Serves("web", "Symbl Admin is serving at"),
    "make test": NotHere("it is the command that runs this test"),
    "PORT=9000 make run": Serves("web"),
    "make dev": Serves("web"),
    "make lint": Runs("All checks passed!"),
    "make format": Runs("files left unchanged", fresh=True),
    "make bench": NotHere("measures speed for minutes; it exits non-zero on a miss by itself"),
    ".venv/bin/python -m benchmarks.detection_bed": NotHere("embeds 80,000 messages: minutes"),
    ".venv/bin/python -m benchmarks.detections": NotHere("make bench's detection rows: minutes"),
    # The soak target's default (2,000 operations, minutes) is run by hand; a small size here.
    "SOAK_OPS=20 make soak": Runs("HTTP 500 pages: 0"),
    "make api": Serves("api"),
    "make verify-audit": Runs("Audit log OK"),
    "make reconcile-audit": Runs("0 unresolved, 0 resolved, 0 left."),
    ".venv/bin/python manage.py seed_demo": Runs("Demo data was seeded before"),
    ".venv/bin/python manage.py clearsessions": Runs(""),
    ".venv/bin/python manage.py calibrate_tester": Runs(f"chosen default: {DEFAULT_THRESHOLD:.2f}"),
    ".venv/bin/python -m benchmarks.tracker_preview --conversations 20 --runs 1": Runs(
        "preview of a draft on 800 messages"
    ),
    ".venv/bin/python manage.py createsuperuser": Interactive(
        (
            ("Username", "owner"),
            ("Email address", "owner@example.com"),
            ("Password (again)", SUPERUSER_PASSWORD),
            ("Password", SUPERUSER_PASSWORD),
        ),
        "Superuser created successfully.",
    ),
    "API_PORT=8002 API_DATA=var/api.sqlite3 make api": Serves("api"),
    API: Serves("api"),
    "SYMBL_API_BASE_URL=http://127.0.0.1:8001 make run": Serves("web", "not seeded into", True),
    "SEED_DEMO=1 SYMBL_API_BASE_URL=http://127.0.0.1:8001 make run": Serves(
        "web", "trackers:", True
    ),
    f"{PG_ADMIN} make run": Serves("web", "Symbl Admin is serving at", postgres=True),
    f"{PG_ADMIN} .venv/bin/python manage.py migrate --noinput": Runs(
        "No migrations to apply.", postgres=True
    ),
    ".venv/bin/python manage.py run_management_api --port 8001 --database "
    f"{PG}/symbl_api --workers 2 --threads 4": Serves("api", postgres=True),
    f"{PG_ADMIN} SYMBL_API_BASE_URL=http://127.0.0.1:8001 DJANGO_SECRET_KEY="
    "one-long-random-value-the-same-on-every-instance-4f1c9a DJANGO_HTTPS=0 .venv/bin/gunicorn "
    "symbl_admin.wsgi:application --bind 127.0.0.1:8000 --workers 2 --threads 4 --timeout 30 "
    "--no-control-socket": Serves("web", needs_api=True, postgres=True),
    "make backup": Runs("Backup written to"),
    f"BACKUP_DIR={BACKUP} make backup": Runs("Backup written to"),
    f"BACKUP_DIR={BACKUP} make restore": Restores("fresh", answers=(("Type yes", "yes"),)),
    f"BACKUP_DIR={BACKUP} FORCE=1 make restore": Restores("copy", answers=(("Type yes", "yes"),)),
    f".venv/bin/python manage.py restore {BACKUP} --yes --force": Restores("copy"),
    "make image-test": NotHere("builds the container image for minutes; CI runs it"),
    "make lock": Runs("", fresh=True),
    **{command: InImage(test) for command, test in DOCKER.items()},
}
RUNNABLE = [c for c, check in COMMANDS.items() if not isinstance(check, NotHere | InImage)]


def readme_commands(text: str) -> set[str]:
    """The command lines README.md shows (see the module docstring)."""
    found = set()
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            command = re.split(r"\s+#", line, maxsplit=1)[0].strip()
            if command and not command.startswith("#"):
                found.add(command)
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    for span in re.findall(r"`([^`\n]+(?:\n[^`\n]+)?)`", prose):
        span = " ".join(span.split())
        if re.match(PROGRAM + r" ", span) or span.startswith("make "):
            found.add(span)
    return found


def test_every_readme_command_is_declared_here():
    assert readme_commands(README) == set(COMMANDS)


def test_each_docker_command_names_an_image_test_that_exists():
    image_tests = (ROOT / "tests" / "image" / "test_image.py").read_text()
    conftest = (ROOT / "tests" / "image" / "conftest.py").read_text()
    missing = [
        test
        for test in DOCKER.values()
        if f"def {test}(" not in image_tests and f"def {test.split()[0]}(" not in conftest
    ]
    assert missing == []


def test_not_run_commands_are_few_and_each_says_why():
    skipped = {c: k.reason for c, k in COMMANDS.items() if isinstance(k, NotHere)}
    # make test, make image-test, and the three long measures (bench, its detection rows, and
    # the detection bed they need); any other README command runs here.
    assert len(skipped) <= 5 and all(len(reason) > 10 for reason in skipped.values())


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """A fresh copy of the tree where `make run` ran (served /healthz, then stopped)."""
    root = make_checkout(tmp_path_factory.mktemp("documented"))
    port = free_port()
    with serving("make run", root, f"http://127.0.0.1:{port}/healthz", PORT=str(port)):
        pass
    return root


def test_make_run_keeps_its_generated_key_readable_only_by_its_owner(checkout):
    assert (checkout / "var" / "secret-key").stat().st_mode & 0o777 == 0o600


def _ports(command: str) -> tuple[str, dict[str, str], int, int]:
    """The command with free ports instead of the README's, its extra env, web and API port."""
    web, api = free_port(), free_port()
    extra = {}
    if re.search(r"\bmake (run|dev)\b", command) and "PORT=" not in command:
        extra["PORT"] = str(web)
    if command.endswith("make api") and "API_PORT=" not in command:
        extra["API_PORT"] = str(api)
    for readme_port, port in (("8000", web), ("9000", web), ("8001", api), ("8002", api)):
        command = command.replace(readme_port, str(port))
    return command, extra, web, api


def _interactive(command: str, root: Path, check: Interactive) -> tuple[int, str]:
    """Run `command` on a pseudo-terminal, answering its prompts; (exit status, output)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        ["bash", "-c", command],
        cwd=root,
        env=clean_env(),
        stdin=follower,
        stdout=follower,
        stderr=follower,
        start_new_session=True,
    )
    os.close(follower)
    # A selector, not select(): a long test session may hold descriptors past select's 1024.
    watcher = selectors.DefaultSelector()
    watcher.register(leader, selectors.EVENT_READ)
    # Generous: Django starting and hashing the password on a loaded machine take a while.
    output, pending, deadline = "", list(check.answers), time.monotonic() + 90
    while time.monotonic() < deadline:
        if watcher.select(0.2):
            try:
                chunk = os.read(leader, 4096).decode(errors="replace")
            except OSError:  # the command closed the terminal
                break
            output += chunk
            line = output.rsplit("\n", 1)[-1]
            for prompt, reply in pending:
                if prompt in line:
                    os.write(leader, reply.encode() + b"\n")
                    output += "\n"
                    pending.remove((prompt, reply))
                    break
        elif process.poll() is not None:
            break
    watcher.close()
    os.close(leader)
    try:
        return process.wait(timeout=30), output
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        return -9, output


@pytest.fixture(scope="module")
def readme_postgres(checkout) -> Iterator[int]:
    """The README's PostgreSQL on a private cluster: role symbl (trust authentication, so its
    password is accepted), databases symbl_admin (migrated, as the README's first step leaves
    it) and symbl_api. Yields its port, which replaces the README's 5432."""
    cluster = start_for_tests()
    try:
        cluster.create_database("symbl_admin")
        cluster.create_database("symbl_api")
        url = f"postgres://symbl:symbl@127.0.0.1:{cluster.port}/symbl_admin"
        migrated = run(f"DATABASE_URL={url} .venv/bin/python manage.py migrate --noinput", checkout)
        assert migrated.returncode == 0, migrated.stdout
        yield cluster.port
    finally:
        cluster.stop()


@pytest.mark.parametrize("command", RUNNABLE)
def test_documented_command_works_as_shown(checkout, command, tmp_path, request):
    check = COMMANDS[command]
    command, extra, web, api = _ports(command)
    if getattr(check, "postgres", False):
        port = request.getfixturevalue("readme_postgres")
        command = command.replace("127.0.0.1:5432", f"127.0.0.1:{port}")
    if isinstance(check, Runs):
        result = run(command, make_checkout(tmp_path) if check.fresh else checkout, **extra)
        assert (result.returncode, check.expect in result.stdout) == (0, True), result.stdout
    elif isinstance(check, Interactive):
        status, output = _interactive(command, checkout, check)
        assert (status, check.expect in output) == (0, True), output
    elif isinstance(check, Restores):
        status, output = _restore(command, checkout, check, tmp_path)
        assert (status, check.expect in output) == (0, True), output
    else:
        api_url = f"http://127.0.0.1:{api}/oauth2/token:generate"
        url = f"http://127.0.0.1:{web}/healthz" if check.probe == "web" else api_url
        _serves(command, checkout, url, check, extra, api)


def _restore(command: str, checkout: Path, check: Restores, tmp_path: Path) -> tuple[int, str]:
    """Back up the shared checkout beside a checkout of its own, then run `command` there."""
    backed_up = run(f"BACKUP_DIR={tmp_path / BACKUP[3:]} make backup", checkout)
    assert backed_up.returncode == 0, backed_up.stdout
    if check.into == "fresh":
        root = make_checkout(tmp_path)
    else:
        root = tmp_path / "checkout"
        shutil.copytree(checkout, root, symlinks=True)
    if check.answers:
        return _interactive(command, root, Interactive(check.answers, check.expect))
    result = run(command, root)
    return result.returncode, result.stdout


def _serves(command: str, root: Path, url: str, check: Serves, extra: dict, api: int) -> None:
    if not check.needs_api:
        with serving(command, root, url, **extra) as server:
            assert check.expect in server.output(), server.output()
        return
    api_url = f"http://127.0.0.1:{api}/oauth2/token:generate"
    with (
        serving("make api", root, api_url, API_PORT=str(api)),
        serving(command, root, url, **extra) as server,
    ):
        ready = get(url.replace("/healthz", "/readyz"))
        assert (ready[0], check.expect in server.output()) == (200, True), server.output()
