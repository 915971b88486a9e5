"""scripts/need.sh: `make test`, `make bench` and `make image-test` install the Debian
packages they drive when missing (as root), or say in one line what to run.

Nothing here installs or removes anything: a missing package is a PATH without it (and
NEED_PG_GLOB pointing nowhere for PostgreSQL's server programs); as root, apt-get is a
recording stand-in first on that PATH; the other cases run as `nobody`, who cannot install.
"""

from __future__ import annotations

import os
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from .checkout import ROOT

NEED = ROOT / "scripts" / "need.sh"
NOBODY = 65534


def _need(*args: str, path: str, user: int | None = None, **env: str):
    # bash by absolute path: PATH may hold nothing at all.
    return subprocess.run(
        ["/bin/bash", str(NEED), *args],
        env={"PATH": path, "NEED_PG_GLOB": "/nonexistent/pg_ctl", **env},
        capture_output=True,
        text=True,
        timeout=30,
        **({"user": user, "group": user, "extra_groups": []} if user is not None else {}),
    )


def _as_nobody() -> int | None:
    """Run as nobody when the tests run as root (so nothing can be installed)."""
    return NOBODY if os.geteuid() == 0 else None


@pytest.fixture
def open_dir():
    """A folder `nobody` may read (pytest's tmp_path is its owner's only)."""
    folder = Path(tempfile.mkdtemp(prefix="symbl-need-"))
    folder.chmod(0o755)
    yield folder
    for child in folder.iterdir():
        child.unlink()
    folder.rmdir()


def _executable(path: Path, text: str = "#!/bin/sh\n") -> None:
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def test_missing_packages_without_root_print_one_line_naming_the_command_and_fail(open_dir):
    result = _need("test", "chromium", "postgresql", path=str(open_dir), user=_as_nobody())
    assert (result.returncode, result.stdout, result.stderr.splitlines()) == (
        1,
        "",
        [
            "make test needs chromium postgresql: run `sudo apt-get update && sudo apt-get "
            "install -y chromium postgresql` (Debian), then make test again."
        ],
    )


def test_bench_without_wrk_names_wrk(open_dir):
    result = _need("bench", "wrk", path=str(open_dir), user=_as_nobody())
    assert (
        result.returncode,
        "apt-get install -y wrk` (Debian), then make bench" in result.stderr,
    ) == (
        1,
        True,
    )


def test_nothing_missing_is_silent(open_dir):
    for tool in ("chromium", "pg_ctl", "wrk"):
        _executable(open_dir / tool)
    result = _need(
        "test", "chromium", "postgresql", "wrk", path=str(open_dir), user=_as_nobody(),
    )  # fmt: skip
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_postgresql_is_found_where_debian_keeps_its_server_programs(open_dir):
    _executable(open_dir / "pg_ctl")
    found = _need(
        "test", "postgresql", path="/nonexistent", user=_as_nobody(),
        NEED_PG_GLOB=str(open_dir / "pg_ct?"),
    )  # fmt: skip
    assert (found.returncode, found.stderr) == (0, "")


@pytest.mark.skipif(os.geteuid() != 0, reason="the install path is taken as root only")
def test_as_root_it_updates_once_then_installs_what_is_missing(open_dir):
    # The stand-in records its arguments and "installs" by creating the programs.
    _executable(
        open_dir / "apt-get",
        f'#!/bin/sh\necho "$*" >> {open_dir}/apt.log\n'
        f'case "$1" in install) for p in chromium wrk; do '
        f'printf "#!/bin/sh\\n" > {open_dir}/$p; /bin/chmod +x {open_dir}/$p; done;; esac\n',
    )
    _executable(open_dir / "pg_ctl")
    result = _need("test", "chromium", "postgresql", "wrk", path=str(open_dir))
    calls = (open_dir / "apt.log").read_text().splitlines()
    assert (result.returncode, calls) == (0, ["update -qq", "install -y -qq chromium wrk"])


def test_make_test_bench_and_image_test_check_their_packages_first():
    plan = subprocess.run(
        ["make", "-n", "-o", ".venv/.installed", "-o", ".venv/.installed-dev",
         "test", "bench", "image-test"],
        cwd=ROOT, capture_output=True, text=True, timeout=30,
    ).stdout.splitlines()  # fmt: skip
    checks = [line for line in plan if "need.sh" in line]
    assert checks == [
        "scripts/need.sh test chromium postgresql",
        "scripts/need.sh bench wrk",
        "scripts/need.sh image-test podman runc debootstrap",
    ]


def test_ci_installs_nothing_itself():
    ci = (ROOT / ".ci" / "run").read_text()
    assert ("apt-get" not in ci, "make test" in ci, "make image-test" in ci) == (True, True, True)
