"""Test helper: a private, throwaway PostgreSQL cluster for one test session.

    cluster = PostgresCluster.start()      # initdb + pg_ctl, 127.0.0.1 on a free port
    url = cluster.create_database("case1")  # postgresql://symbl@127.0.0.1:PORT/case1
    cluster.stop()                          # pg_ctl stop -m immediate, folder removed

Finds the server's programs on PATH or in Debian's /usr/lib/postgresql/<version>/bin (the
`postgresql` package; .ci/run installs it). initdb refuses to run as root, so as root the
cluster runs as the `postgres` user the package creates. Listens on 127.0.0.1 only, trust
authentication, durability off (fsync): it is thrown away after the session.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "symbl"
START_TIMEOUT_SECONDS = 30
SKIP_BANNER = "POSTGRESQL TESTS SKIPPED"  # tests/conftest.py prints a banner for these skips


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server programs here, or no way to run them; the message says which."""


def server_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(os.path.realpath(found)).parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4])
    )
    return Path(candidates[-1]).parent if candidates else None


def start_for_tests() -> PostgresCluster:
    """A cluster for a test session; without PostgreSQL the test is skipped loudly, or fails
    when SYMBL_REQUIRE_POSTGRES=1 (.ci/run sets it)."""
    import pytest

    try:
        return PostgresCluster.start()
    except PostgresUnavailable as error:
        if os.environ.get("SYMBL_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"SYMBL_REQUIRE_POSTGRES=1 but {error}", pytrace=False)
        pytest.skip(f"{SKIP_BANNER}: {error}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PostgresCluster:
    bin_dir: Path
    root: Path
    port: int
    run_as: str | None

    @classmethod
    def start(cls) -> PostgresCluster:
        """initdb and start a cluster in a new temporary folder.

        Raises:
            PostgresUnavailable: the programs are missing, or root has no `postgres` user.
        """
        bin_dir = server_bin_dir()
        if bin_dir is None:
            raise PostgresUnavailable(
                "PostgreSQL server programs (initdb, pg_ctl) not found on PATH or in "
                "/usr/lib/postgresql/*/bin; install Debian's `postgresql` package."
            )
        run_as = None
        root = Path(tempfile.mkdtemp(prefix="symbl-admin-pg-"))
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                shutil.rmtree(root, ignore_errors=True)
                raise PostgresUnavailable(
                    "Running as root and there is no `postgres` user to run initdb as."
                ) from None
            os.chown(root, user.pw_uid, user.pw_gid)
            run_as = "postgres"
        cluster = cls(bin_dir=bin_dir, root=root, port=free_port(), run_as=run_as)
        try:
            cluster._init_and_start()
        except BaseException:
            cluster.stop()
            raise
        return cluster

    @property
    def version(self) -> str:
        return self._run("postgres", "--version").stdout.strip()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new, empty database; returns its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        """Stop at once (nothing here needs to survive) and remove the folder."""
        if (self.root / "data" / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    # -- internals ---------------------------------------------------------------------

    def _init_and_start(self) -> None:
        data = self.root / "data"
        self._run(
            "initdb",
            "-D",
            str(data),
            "--username",
            SUPERUSER,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C",
            "--no-sync",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=300 -c shared_buffers=32MB"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            str(START_TIMEOUT_SECONDS),
            "start",
        )

    def _run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / program), *args]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        result = subprocess.run(  # noqa: S603
            command,
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT_SECONDS + 30,
        )
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{program} failed:\n{result.stdout}{result.stderr}{tail}")
        return result
