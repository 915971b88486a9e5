"""The image tests' fixtures: the image built once per run, named volumes and containers that
are removed afterwards, whatever happens. Names carry this process's id, so two runs on one
machine never touch each other's; the base image stays (it stands for a pulled one)."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator

import pytest

from tests.ops.checkout import ROOT, free_port

from .podman import CA_BUNDLE, Podman

RUN = f"symbl-image-test-{os.getpid()}"
SECRET = "image-test-only-key-7f3c1e9a5b2d4f6081a3c5e7092b4d6f"
# The standalone API on 0.0.0.0 takes an explicit pair, never the public local one.
APP_ID, APP_SECRET = "image-test-app", "image-test-secret-b8e1f04c27d9"
# Seconds the session fixtures took, for the run's figures (recorded by the first test).
TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="session")
def engine(tmp_path_factory) -> Podman:
    if shutil.which("podman") is None:
        pytest.fail("podman is missing: `make image-test` installs it (scripts/need.sh).")
    podman = Podman.private(tmp_path_factory.mktemp("podman"))
    started = time.monotonic()
    podman.ensure_base_image()
    TIMINGS["base image"] = time.monotonic() - started
    return podman


@pytest.fixture(scope="session")
def image(engine) -> Iterator[str]:
    """The project's Dockerfile built as the README says, with podman (--format docker keeps
    the HEALTHCHECK; the machine's CA bundle is mounted for pip, read-only, not copied).
    SYMBL_TEST_IMAGE=TAG tries an image already built instead, and leaves it."""
    if os.environ.get("SYMBL_TEST_IMAGE"):
        yield os.environ["SYMBL_TEST_IMAGE"]
        return
    tag = f"localhost/{RUN}:latest"
    started = time.monotonic()
    try:
        engine(
            "build", "--format", "docker", "--pull=never", "--layers=false",
            "-v", f"{CA_BUNDLE}:{CA_BUNDLE}:ro", "-t", tag, str(ROOT),
        )  # fmt: skip
        TIMINGS["build"] = time.monotonic() - started
        yield tag
    finally:
        engine("rmi", "-f", tag, check=False)


class Containers:
    """Containers, volumes and networks made by one test, removed when it ends."""

    def __init__(self, engine: Podman, image: str) -> None:
        self.engine, self.image = engine, image
        self.names: list[str] = []
        self.volumes: list[str] = []
        self.networks: list[str] = []

    def network(self) -> str:
        """A network of its own: its containers find each other by name (aardvark-dns)."""
        name = f"{RUN}-n{len(self.networks)}-{time.monotonic_ns()}"
        self.engine("network", "create", name)
        self.networks.append(name)
        return name

    def volume(self) -> str:
        name = f"{RUN}-{len(self.volumes)}-{time.monotonic_ns()}"
        self.engine("volume", "create", name)
        self.volumes.append(name)
        return name

    def once(
        self, volume: str, *command: str, env: dict[str, str] | None = None, check: bool = True
    ) -> str:
        """Run the image once to the end on `volume` (`migrate`, a manage.py command); what it
        printed. Raises on a non-zero exit when `check`."""
        # Named, so cleanup() removes it even if it outlives its two minutes.
        name, mount = self._name(), ["-v", f"{volume}:/app/var"]
        return self.engine(
            "run", "--rm", "--name", name, *self._env(env), *mount, self.image, *command,
            check=check, timeout=120,
        )  # fmt: skip

    def start(
        self, *command: str, volume: str | None = None, env: dict[str, str] | None = None,
        ports: tuple[int, ...] = (8000,), network: str | None = None,
    ) -> tuple[str, dict[int, int]]:  # fmt: skip
        """Start a detached container; its name and {container port: host port on 127.0.0.1}."""
        name = self._name()
        published = {port: free_port() for port in ports}
        args = [f"-p127.0.0.1:{host}:{port}" for port, host in published.items()]
        if network:
            args.append(f"--network={network}")
        if volume:
            args += ["-v", f"{volume}:/app/var"]
        self.engine("run", "-d", "--name", name, *args, *self._env(env), self.image, *command)
        return name, published

    def _name(self) -> str:
        name = f"{RUN}-c{len(self.names)}-{time.monotonic_ns()}"
        self.names.append(name)
        return name

    def remove(self, name: str) -> None:
        self.engine("rm", "-f", "-t", "2", name, check=False)

    def cleanup(self) -> None:
        for name in reversed(self.names):
            self.remove(name)
        for volume in self.volumes:
            self.engine("volume", "rm", "-f", volume, check=False)
        for network in self.networks:
            self.engine("network", "rm", "-f", network, check=False)

    @staticmethod
    def _env(env: dict[str, str] | None) -> list[str]:
        values = {"DJANGO_SECRET_KEY": SECRET, "DJANGO_HTTPS": "0", **(env or {})}
        return [arg for key, value in values.items() for arg in ("-e", f"{key}={value}")]


@pytest.fixture
def containers(engine, image) -> Iterator[Containers]:
    made = Containers(engine, image)
    try:
        yield made
    finally:
        made.cleanup()


def logs_on_failure(engine: Podman, name: str) -> str:
    return engine("logs", name, check=False)[-3000:]
