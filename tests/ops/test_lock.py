"""requirements.lock (`make lock`): every production dependency pinned with its hashes, the
pins within pyproject.toml's ranges and the ones the tests run on, and installed from it by
`make run` (and the image, tests/image)."""

from __future__ import annotations

import re
import subprocess
import tomllib
from importlib.metadata import version

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .checkout import ROOT

LOCK = (ROOT / "requirements.lock").read_text()


def _pins() -> dict[str, tuple[str, int]]:
    """{name: (version, number of hashes)} from the lock."""
    pins = {}
    for block in re.split(r"\n(?=\S)", LOCK):
        found = re.match(r"([A-Za-z0-9_.-]+)==(\S+)", block)
        if found:
            pins[canonicalize_name(found[1])] = (found[2], block.count("--hash=sha256:"))
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(line) for line in project["dependencies"]]


def test_every_pin_carries_hashes():
    pins = _pins()
    assert len(pins) > 20 and [name for name, (_, hashes) in pins.items() if not hashes] == []


def test_every_declared_dependency_is_pinned_within_its_range():
    pins = _pins()
    outside = {
        str(req): pins.get(canonicalize_name(req.name), ("missing", 0))[0]
        for req in _declared()
        if not req.specifier.contains(pins.get(canonicalize_name(req.name), ("0.dev0", 0))[0])
    }
    assert outside == {}


def test_the_tests_run_on_the_locked_versions():
    """A dependency changed without `make lock` shows here, before it ships untested."""
    differ = {
        name: (locked, version(name))
        for name, (locked, _) in _pins().items()
        if version(name) != locked
    }
    assert differ == {}


def test_make_install_takes_the_lock_with_hashes_then_the_project_alone():
    plan = subprocess.run(
        ["make", "-n", "-W", "requirements.lock", "install"],
        cwd=ROOT, capture_output=True, text=True, timeout=30,
    ).stdout.splitlines()  # fmt: skip
    installs = [line for line in plan if "pip install" in line]
    assert installs == [
        ".venv/bin/pip install --quiet --require-hashes -r requirements.lock",
        ".venv/bin/pip install --quiet --no-deps -e .",
    ]
