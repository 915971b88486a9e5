"""Fault soak runner: the standalone Management API with 30% faults, the dashboard under
gunicorn pointed at it, several simulated users in parallel, then the figures.

    from tests.soak.runner import run_soak
    report = run_soak(ops=200, seed=14)     # what the test asserts
    python -m tests.soak --ops 2000          # `make soak`: the same figures, full size

The server's journal (SYMBL_LOCAL_API_JOURNAL, one line per write it carried out) is the
ground truth the dashboard's audit log is checked against, after `reconcile_audit`.
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.soak.truth import compare
from tests.soak.users import SoakUser
from tests.support.dashboard import SECRET, dashboard_server, django_env, manage
from tests.support.standalone import standalone_server

PASSWORD = "Soak-test-Pw-2026!"
CREDENTIALS = {"SYMBL_APP_ID": "soak-test", "SYMBL_APP_SECRET": "soak-test-secret"}
# 30% of /v1 requests faulted: 12% 500/502/503, 6% 429, 12% dropped (writes carried out first).
FAULTS = (
    ("--error-rate", "0.12"),
    ("--busy-rate", "0.06"),
    ("--drop-rate", "0.12"),
    ("--latency-ms", "15"),
)
USERS = (("lead", 3), ("analyst", 1))  # (login, sessions)
RECONCILE_PASSES = 8


@dataclass
class SoakReport:
    ops: int
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)
    done: Counter = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    lost_input: list[str] = field(default_factory=list)
    applied: int = 0
    applied_audited: int = 0
    claimed_not_applied: list[str] = field(default_factory=list)
    unresolved: int = 0
    noop_writes: int = 0
    state_mismatches: list[str] = field(default_factory=list)
    objects: int = 0
    crashed: list[str] = field(default_factory=list)
    secrets_in_log: list[str] = field(default_factory=list)

    @property
    def audited_percent(self) -> float:
        return 100.0 if not self.applied else 100.0 * self.applied_audited / self.applied

    def lines(self) -> list[str]:
        return [
            f"fault soak: {self.ops} operations by {sum(n for _, n in USERS)} users "
            f"in {self.seconds:.1f} s, 30% upstream faults",
            f"  responses by status: {dict(sorted(self.statuses.items()))}",
            f"  operations: {dict(sorted(self.done.items()))}",
            f"  HTTP 500 pages: {len(self.server_errors)}",
            f"  failed submissions with typed input missing: {len(self.lost_input)}",
            f"  audit successes the server did not apply: {len(self.claimed_not_applied)}",
            f"  applied writes audited: {self.applied_audited}/{self.applied} "
            f"({self.audited_percent:.1f}%), unresolved after reconcile: {self.unresolved}",
            f"  saved unchanged (same state applied or not, not checked): {self.noop_writes}",
            f"  final state vs audit successes: {len(self.state_mismatches)} mismatches "
            f"over {self.objects} trackers",
        ]

    def figure(self) -> str:
        """One line for the run's "figures" section (tests/support/figures.py)."""
        return (
            f"{self.ops} operations by {sum(n for _, n in USERS)} users in {self.seconds:.0f} s, "
            f"30% upstream faults: {len(self.server_errors)} HTTP 500 pages, "
            f"{len(self.lost_input)} failed submissions with typed input lost, "
            f"{len(self.claimed_not_applied)} audit successes not applied, applied writes "
            f"audited {self.applied_audited}/{self.applied} ({self.audited_percent:.1f}%), "
            f"{self.unresolved} unresolved, {len(self.state_mismatches)} mismatches over "
            f"{self.objects} trackers, "
            f"{self.done['sent again after a closed connection']} requests sent again"
        )

    def failures(self) -> list[str]:
        return [
            *self.crashed,
            *self.secrets_in_log,
            *self.server_errors,
            *self.lost_input,
            *self.claimed_not_applied,
            *self.state_mismatches,
        ]


def _drive(user: SoakUser, count: int, login: str, crashed: list[str]) -> None:
    try:
        user.sign_in(login, PASSWORD)
        for _ in range(count):  # bounded: exactly `count` operations
            user.run_one()
    except Exception as exc:  # noqa: BLE001 — reported, and the test fails on it
        crashed.append(f"user {user.number} stopped: {exc!r}")


def _reconcile(env: dict, audit_db: Path) -> int:
    """Run reconcile_audit (bounded passes: the server still faults); unresolved count."""
    left = -1
    for _ in range(RECONCILE_PASSES):
        manage(env, "reconcile_audit", check=False)
        left = _unresolved(audit_db)
        if left == 0:
            break
    return left


def _unresolved(audit_db: Path) -> int:
    with contextlib.closing(sqlite3.connect(audit_db)) as db:
        return db.execute(
            "SELECT COUNT(*) FROM audit_auditentry i WHERE i.completes_id IS NULL "
            "AND i.action IN ('create','update','delete','bulk_create','import','revert',"
            "'restore') AND NOT EXISTS (SELECT 1 FROM audit_auditentry o "
            "WHERE o.completes_id = i.seq AND o.outcome IN ('success','failed'))"
        ).fetchone()[0]


def run_soak(*, ops: int, seed: int = 14, root: Path | None = None) -> SoakReport:
    """Run the whole soak; everything on 127.0.0.1, every process stopped before returning."""
    with contextlib.ExitStack() as stack:
        if root is None:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="soak-")))
        api_data, journal = root / "api.sqlite3", root / "journal.jsonl"
        audit_db = root / "dashboard.sqlite3"
        faults = [arg for pair in FAULTS for arg in pair]
        api_url = stack.enter_context(
            standalone_server(
                api_data,
                env={**CREDENTIALS, "SYMBL_LOCAL_API_JOURNAL": str(journal)},
                args=(*faults, "--drop-after-write", "--fault-seed", str(seed), "--threads", "8"),
            )
        )
        env = django_env(
            f"sqlite:///{audit_db}",
            root / "var",
            SYMBL_API_BASE_URL=api_url,
            DEMO_PASSWORD=PASSWORD,
            LOG_LEVEL="WARNING",
            # Unknown outcomes settle by reconcile; abandoned pendings only after this long.
            AUDIT_PENDING_STALE_SECONDS="60",
            **CREDENTIALS,
        )
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "create_demo_users")
        dashboard = stack.enter_context(dashboard_server(env, workers=2, threads=4))
        report = SoakReport(ops=ops)
        logins = [login for login, sessions in USERS for _ in range(sessions)]
        users = [
            SoakUser(
                base_url=dashboard.url, number=n, seed=seed, api_data=api_data, audit_db=audit_db
            )
            for n in range(len(logins))
        ]
        shares = [ops // len(users) + (1 if n < ops % len(users) else 0) for n in range(len(users))]
        started = time.monotonic()
        threads = [
            threading.Thread(target=_drive, args=(u, c, login, report.crashed))
            for u, c, login in zip(users, shares, logins, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
        report.seconds = time.monotonic() - started
        for user in users:
            user.session.close()
            report.statuses.update(user.statuses)
            report.done.update(user.done)
            report.server_errors.extend(user.errors)
            report.lost_input.extend(user.lost_input)
        log = dashboard.log()
        if any(sign in log for sign in ("Internal Server Error", "Traceback", "WORKER TIMEOUT")):
            report.crashed.append("the dashboard logged a traceback:\n" + log[-3000:])
        # The secrets watch (tests/support/secrets_watch.py) cannot hear gunicorn; its log, here.
        secrets = {"the password": PASSWORD, "SECRET_KEY": SECRET, **CREDENTIALS}
        secrets.pop("SYMBL_APP_ID")
        report.secrets_in_log = [
            f"{k} in the dashboard's log" for k, v in secrets.items() if v in log
        ]
        report.unresolved = _reconcile(env, audit_db)
        compare(report, journal=journal, audit_db=audit_db, api_data=api_data)
        return report
