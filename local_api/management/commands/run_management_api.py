"""Local Management API server: `manage.py run_management_api`, the standalone server (gunicorn).

    python manage.py run_management_api --port 8001 [--host 127.0.0.1]
        [--data PATH | --database postgres://USER:PASSWORD@HOST/DB]
        [--workers 1 --threads 4] [--access-log PATH] [--token-failures N --token-window S]
        [--latency-ms N --error-rate F --busy-rate F
        --drop-rate F --drop-after-write --fault-seed N --write-hold-ms N]

Serves the same WSGI app as the embedded mode. Data: --database (default
SYMBL_LOCAL_API_DATABASE_URL), a PostgreSQL database that several instances may share; else
--data (default SYMBL_LOCAL_API_DATA), a SQLite file for one host. Credentials: SYMBL_APP_ID/SYMBL_APP_SECRET when
both are set, else the public local pair, on a loopback address only; one of the two alone
stops the start (exposure.py). Wrong pairs are limited per client address (throttle.py:
--token-failures per --token-window seconds, then 429). Fault flags override the
SYMBL_FAULT_* environment variables. The first line on stdout is
"Management API listening on http://HOST:PORT" (with the real port when --port 0).
"""

from __future__ import annotations

import dataclasses
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from gunicorn.app.base import BaseApplication

from local_api import LOCAL_APP_ID
from local_api.exposure import Refused, served_credentials
from local_api.faults import FaultConfig
from local_api.store import is_database_url, safe_location
from local_api.throttle import FailedTokenLimiter

LISTENING = "Management API listening on"


class _GunicornServer(BaseApplication):
    """gunicorn driven from code: our options only, no command line or config file."""

    def __init__(self, build_app: Any, options: dict[str, Any]) -> None:
        self._build_app = build_app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # Runs in each worker after the fork: every process opens its own database connections.
        return self._build_app()


def _when_ready(banner: str) -> Any:
    def when_ready(server: Any) -> None:
        for listener in server.LISTENERS:
            host, port = listener.sock.getsockname()[:2]
            sys.stdout.write(f"{LISTENING} http://{host}:{port}\n{banner}\n")
            sys.stdout.flush()

    return when_ready


class Command(BaseCommand):
    help = "Serve the local Management API over HTTP (gunicorn)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8001, help="0 picks a free port")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--data", default="", help="SQLite file (default: settings.SYMBL_LOCAL_API_DATA)"
        )
        parser.add_argument(
            "--database",
            default="",
            help="PostgreSQL URL, shared by every instance "
            "(default: settings.SYMBL_LOCAL_API_DATABASE_URL; wins over --data)",
        )
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument(
            "--access-log", default="", help="one line per request to this file ('-': stdout)"
        )
        parser.add_argument(
            "--token-failures",
            type=int,
            default=settings.SYMBL_LOCAL_API_TOKEN_FAILURES,
            help="wrong appId/appSecret pairs per address and window before 429",
        )
        parser.add_argument(
            "--token-window",
            type=float,
            default=settings.SYMBL_LOCAL_API_TOKEN_WINDOW,
            help="seconds of that window",
        )
        parser.add_argument("--latency-ms", type=int, default=None)
        parser.add_argument("--error-rate", type=float, default=None)
        parser.add_argument("--busy-rate", type=float, default=None)
        parser.add_argument("--drop-rate", type=float, default=None)
        parser.add_argument("--drop-after-write", action="store_true", default=None)
        parser.add_argument("--fault-seed", type=int, default=None)
        parser.add_argument("--write-hold-ms", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        database = options["database"] or settings.SYMBL_LOCAL_API_DATABASE_URL
        if database and not is_database_url(database):
            raise CommandError("--database takes a postgres:// or postgresql:// URL.")
        data_path = database or options["data"] or str(settings.SYMBL_LOCAL_API_DATA)
        try:
            app_id, app_secret = served_credentials(
                app_id=settings.SYMBL_APP_ID,
                app_secret=settings.SYMBL_APP_SECRET,
                host=options["host"],
            )
        except Refused as error:
            raise CommandError(str(error)) from None
        if options["token_failures"] < 1 or options["token_window"] <= 0:
            raise CommandError("--token-failures and --token-window must be positive.")
        try:
            faults = self._faults(options)
        except ValueError as error:
            raise CommandError(f"Bad fault setting: {error}") from None
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be at least 1.")

        def build_app() -> Any:
            from local_api.app import create_app

            return create_app(
                data_path=data_path,
                app_id=app_id,
                app_secret=app_secret,
                faults=faults,
                # In the worker, after the fork: each worker counts its own (throttle.py).
                token_limiter=FailedTokenLimiter(
                    limit=options["token_failures"], window=options["token_window"]
                ),
            )

        who = "local default credentials" if app_id == LOCAL_APP_ID else "SYMBL_APP_ID/SECRET"
        banner = f"data {safe_location(data_path)}; {who} (appId {app_id}); {faults.describe()}"
        access_log = {"accesslog": options["access_log"]} if options["access_log"] else {}
        _GunicornServer(
            build_app,
            {
                **access_log,
                "bind": f"{options['host']}:{options['port']}",
                "workers": options["workers"],
                "threads": options["threads"],
                "worker_class": "gthread",
                # gunicorn 27 otherwise opens ~/.gunicorn/gunicorn.ctl; two servers would fight.
                "control_socket_disable": True,
                "timeout": 60,
                "graceful_timeout": 5,
                "keepalive": 5,
                "when_ready": _when_ready(banner),
                "proc_name": "symbl-management-api",
            },
        ).run()

    @staticmethod
    def _faults(options: dict[str, Any]) -> FaultConfig:
        faults = FaultConfig.from_env()
        overrides = {
            "latency_ms": options["latency_ms"],
            "error_rate": options["error_rate"],
            "busy_rate": options["busy_rate"],
            "drop_rate": options["drop_rate"],
            "drop_after_write": options["drop_after_write"],
            "seed": options["fault_seed"],
            "write_hold_ms": options["write_hold_ms"],
        }
        return dataclasses.replace(
            faults, **{key: value for key, value in overrides.items() if value is not None}
        )
