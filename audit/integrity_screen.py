"""Audit integrity layer, for the screen: what the audit log page says about the chain (the
quick check as the page opens, the last full check: when, who, result, and one running now)."""

from __future__ import annotations

from datetime import UTC, datetime

from django.http import HttpRequest

from . import full_check, table
from .integrity import chain_status


def _parsed(stamp: str) -> datetime | None:
    try:
        return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def screen_context(request: HttpRequest) -> dict:
    """chain, outcome_records, entry_records, check (full_check.Progress), last_check (the
    latest run from the screen), last_cli (a later `manage.py verify_audit`'s time, if any)
    and can_verify."""
    chain = chain_status()
    outcomes = table.outcome_record_count()
    last = full_check.last_check()
    # verify_audit writes the same result file without an audit entry: its run is newer when
    # its (whole-second) time is after the latest recorded run's.
    cli = _parsed(chain.verified_at) if chain.verified_at else None
    last_cli = cli if cli and (last is None or cli > last.time) else None
    return {
        "chain": chain,
        "outcome_records": outcomes,
        "entry_records": max(0, chain.head_seq - outcomes),
        "check": full_check.progress(),
        "last_check": last,
        "last_cli": last_cli,
        "can_verify": request.user.has_perm("accounts.view_audit"),
    }
