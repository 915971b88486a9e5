"""The test bed `make bench` builds in a throwaway folder, every server a real gunicorn:

- api: our Management API server standalone (`manage.py run_management_api`, its access log
  on) filled to the account's limits over HTTP, and its conversations written into its store
  before it starts (benchmarks/conversation_bed.py);
- dashboard: the product (production settings, `make run`'s gunicorn options: 2 workers) on
  that server, with an audit log of N entries; dashboard-small: the same with 100 entries;
- admin: the comparison Django admin (benchmarks/admin_site) holding the same objects;
- floor: a static JSON answer with the bytes of the server's full tracker list.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import data
from benchmarks.conversation_bed import build_bed
from benchmarks.stack import ROOT, Server, Stack, free_port, gunicorn_argv

PASSWORD = "bench-" + secrets.token_urlsafe(12)
SECRET_KEY = secrets.token_urlsafe(50)
USER = "bench"  # benchmarks/prepare.py and admin_site/fill.py create it
API_LOGIN = "token:generate"  # in the path of the Management API's token requests


@dataclass(frozen=True)
class Size:
    trackers: int
    phrases: int
    groups: int
    audit: int
    audit_small: int
    rounds: int
    wrk_seconds: int
    mixed: int
    conversations: int  # the conversation bed (benchmarks/conversation_bed.py)
    messages: int  # per conversation
    imported: int  # conversations imported through the dashboard's import page


# 400 rounds: the pages now differ by a few per cent, and 200 medians moved by about that.
FULL = Size(500, 50, 500, 100_000, 100, 400, 15, 2000, 10_000, 40, 1000)
SMOKE = Size(4, 5, 3, 60, 10, 3, 1, 20, 40, 3, 5)


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without the project's settings, plus `extra`."""
    prefixes = ("SYMBL_", "DJANGO_", "DATABASE_URL", "SESSION_", "AUDIT_", "REVIEW_", "PYTEST")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env.update({"DJANGO_SECRET_KEY": SECRET_KEY, "LOG_LEVEL": "INFO", **extra})
    return env


def client_env(folder: Path, api_url: str) -> dict[str, str]:
    """The settings the bench process's own Management API client reads (the raw GETs)."""
    (folder / "client").mkdir(exist_ok=True)
    return clean_env(
        DJANGO_SETTINGS_MODULE="symbl_admin.settings",
        SYMBL_VAR_DIR=str(folder / "client"),
        SYMBL_API_BASE_URL=api_url,
        DJANGO_HTTPS="0",
        LOG_LEVEL="WARNING",
    )


@dataclass
class Bed:
    folder: Path
    size: Size
    stack: Stack
    api_port: int
    servers: dict[str, Server]
    # DASHBOARD_CACHES for the measured dashboard: `BENCH_CACHES=-pages make bench` measures
    # it with the page layer off (every layer is named in symbl_admin/caching).
    caches: str = field(default_factory=lambda: os.environ.get("BENCH_CACHES", "on"))

    @property
    def cache_stats(self) -> Path:
        """Where the measured dashboard's workers write their layers' counts as they stop."""
        return self.folder / "cache-stats"

    @property
    def access_log(self) -> Path:
        return self.folder / "api-access.log"

    def _python(self, *args: str, env: dict[str, str]) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, *args], env=env, cwd=ROOT)

    def start_api(self) -> Server:
        argv = [sys.executable, str(ROOT / "manage.py"), "run_management_api"]
        argv += ["--port", str(self.api_port), "--data", str(self.folder / "api.sqlite3")]
        argv += ["--access-log", str(self.access_log)]
        env = clean_env(
            DJANGO_SETTINGS_MODULE="symbl_admin.settings",
            SYMBL_VAR_DIR=str(self._dir("api-var")),
        )
        server = self.stack.start("api", argv, env, port=self.api_port, ready="/healthz")
        self.servers["api"] = server
        return server

    def seed_conversations(self) -> None:
        """The conversation bed, written into the server's store before it starts: every
        group's agent has conversations (a fifth of them in the region it selects), and a
        fifth more agents belong to no group."""
        agents = data.group_agents(data.groups(self.size.groups))
        agents += [f"nogroup{n}" for n in range(len(agents) // 5 + 1)]
        build_bed(
            self.folder / "api.sqlite3",
            count=self.size.conversations,
            messages=self.size.messages,
            agents=agents,
            regions=data.REGIONS,
        )

    def fill_api(self, client) -> None:
        """Fill through our client over HTTP, 50 objects per bulk request."""
        objects = {
            "trackers": data.trackers(self.size.trackers, self.size.phrases),
            "groups": data.groups(self.size.groups),
        }
        ids = {}
        for kind, resource in (("trackers", client.trackers), ("groups", client.groups)):
            for start in range(0, len(objects[kind]), 50):
                resource.bulk_create(objects[kind][start : start + 50])
            ids[kind] = [{"id": o.id, "name": o.name} for o in resource.list()]
        (self.folder / "objects.json").write_text(json.dumps(objects))
        (self.folder / "ids.json").write_text(json.dumps(ids))

    def _dir(self, name: str) -> Path:
        path = self.folder / name
        path.mkdir(exist_ok=True)
        return path

    def _dashboard_env(self, name: str) -> dict[str, str]:
        return clean_env(
            DJANGO_SETTINGS_MODULE="symbl_admin.settings",
            SYMBL_VAR_DIR=str(self._dir(name)),
            SYMBL_API_BASE_URL=f"http://127.0.0.1:{self.api_port}",
            DJANGO_HTTPS="0",
        )

    def prepare_sites(self) -> None:
        """Both dashboard databases and the admin's, in parallel; static files once."""
        env = self._dashboard_env("dashboard")
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            env=env,
            cwd=ROOT,
            check=True,
        )
        admin_env = clean_env(BENCH_ADMIN_DB=str(self.folder / "admin.sqlite3"))
        jobs = [
            self._python(
                "-m",
                "benchmarks.prepare",
                *("--audit", str(n), "--password", PASSWORD),
                *("--objects", str(self.folder / "ids.json")),
                env=e,
            )
            for n, e in (
                (self.size.audit, env),
                (self.size.audit_small, self._dashboard_env("dashboard-small")),
            )
        ]
        objects = str(self.folder / "objects.json")
        jobs.append(
            self._python("-m", "benchmarks.admin_site.fill", objects, PASSWORD, env=admin_env)
        )
        failed = [job.args for job in jobs if job.wait() != 0]
        if failed:
            raise RuntimeError(f"preparing failed: {failed}")

    def start_sites(self, floor_body: bytes) -> None:
        self.cache_stats.mkdir(exist_ok=True)
        for name in ("dashboard", "dashboard-small", "dashboard-off"):
            port = free_port()
            argv = gunicorn_argv("symbl_admin.wsgi:application", port, workers=2, threads=4)
            # dashboard-off: the same database and Management API, every cache off.
            env = self._dashboard_env("dashboard" if name == "dashboard-off" else name)
            env["DASHBOARD_CACHES"] = "off" if name == "dashboard-off" else self.caches
            if name == "dashboard":
                env["DASHBOARD_CACHE_STATS_DIR"] = str(self.cache_stats)
            self.servers[name] = self.stack.start(name, argv, env, port=port, ready="/healthz")
        port = free_port()
        argv = gunicorn_argv("benchmarks.admin_site.wsgi:application", port, workers=2, threads=4)
        env = clean_env(BENCH_ADMIN_DB=str(self.folder / "admin.sqlite3"))
        self.servers["admin"] = self.stack.start(
            name="admin", argv=argv, env=env, port=port, ready="/admin/login/"
        )
        floor_file = self.folder / "floor.json"
        floor_file.write_bytes(floor_body)
        port = free_port()
        # The Management API server's own options (run_management_api): 1 worker, 4 threads.
        argv = gunicorn_argv("benchmarks.floor:app", port, workers=1, threads=4)
        argv += ["--keep-alive", "5"]
        env = clean_env(BENCH_FLOOR_FILE=str(floor_file))
        self.servers["floor"] = self.stack.start("floor", argv, env, port=port, ready="/")
