"""The image tests' podman, set up as ../shared/reference/TOOLING-NOTES.md "Container images" says.

    engine = Podman.private(tmp_dir)     # runc, ulimits within this machine's hard limits
    engine.ensure_base_image()           # python:3.11-slim, or a debootstrap stand-in
    engine("build", "--format", "docker", ...)

No registry is reachable here and there is no Docker daemon. crun refuses these machines'
mixed cgroups, so runc runs the containers; podman's default ulimits exceed the hard limits.
Both go in a private CONTAINERS_CONF file, so nothing outside the test changes.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

BASE_IMAGE = "docker.io/library/python:3.11-slim"
CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
SOURCES = Path("/etc/apt/sources.list.d")
# Without systemd podman cannot schedule health checks (the tests run them) and says so on
# every start of a container that has one; not the container's output.
NO_SYSTEMD = re.compile(r'^time=\S+ level=error msg="unable to get systemd connection.*\n?', re.M)


@dataclass(frozen=True)
class Podman:
    conf: Path

    @classmethod
    def private(cls, folder: Path) -> Podman:
        """A podman whose engine settings live in `folder` (written here, read by podman)."""
        nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        conf = folder / "containers.conf"
        conf.write_text(
            '[engine]\nruntime = "runc"\n\n[containers]\n'
            f'default_ulimits = ["nofile={nofile}:{nofile}", "nproc=32768:32768"]\n'
        )
        return cls(conf)

    def __call__(self, *args: str, check: bool = True, timeout: float = 600) -> str:
        """Run `podman ARGS`; its output (stdout and stderr together, without podman's
        systemd complaint). Raises on failure when `check`, with what podman printed."""
        result = subprocess.run(
            ["podman", *args],
            env={**os.environ, "CONTAINERS_CONF": str(self.conf)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
        )
        output = NO_SYSTEMD.sub("", result.stdout)
        if check and result.returncode:
            raise AssertionError(f"podman {' '.join(args)} exited {result.returncode}:\n{output}")
        return output

    def status(self, *args: str) -> int:
        """The exit status of `podman ARGS`."""
        env = {**os.environ, "CONTAINERS_CONF": str(self.conf)}
        return subprocess.run(["podman", *args], env=env, capture_output=True).returncode

    def ensure_base_image(self) -> None:
        """python:3.11-slim cannot be pulled here: import a Debian bookworm root (Python 3.11)
        made with debootstrap under its name, once. Its Python is in /usr/bin."""
        if self.status("image", "exists", BASE_IMAGE) == 0:
            return
        rootfs = Path(tempfile.mkdtemp(prefix="symbl-base-"))
        try:
            subprocess.run(
                ["debootstrap", "--variant=minbase",
                 "--include=python3,python3-venv,python-is-python3,ca-certificates",
                 "bookworm", str(rootfs), debian_mirror()],
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=900,
            )  # fmt: skip
            tar = subprocess.Popen(
                ["tar", "--numeric-owner", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE
            )
            subprocess.run(
                ["podman", "import",
                 "--change", "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                 "--change", "ENV LANG=C.UTF-8", "-", BASE_IMAGE],
                stdin=tar.stdout, check=True, capture_output=True, timeout=600,
                env={**os.environ, "CONTAINERS_CONF": str(self.conf)},
            )  # fmt: skip
            tar.wait()
        finally:
            shutil.rmtree(rootfs, ignore_errors=True)


def debian_mirror() -> str:
    """The machine's plain Debian mirror (…/debian) from its apt sources; a dated snapshot
    archive listed there does not answer."""
    for source in sorted(SOURCES.glob("*")):
        for url in re.findall(r"^\s*URIs:\s*(\S+)", source.read_text(), re.M):
            if url.rstrip("/").endswith("/debian") and "snapshot" not in url:
                return url
    return "http://deb.debian.org/debian"
