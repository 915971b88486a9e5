"""Audit integrity layer: walk the hash chain, keep checkpoints outside the database, and
report the chain's status cheaply for the screens.

What this catches: any altered, deleted or out-of-place row (the chain breaks at it), and a
truncated tail (the checkpoint file remembers how long the chain was and its head hash).
What no unkeyed chain catches: someone with database rights appending correctly hashed rows
at the end, or rewriting everything after the last checkpoint. Checkpoints kept off the host
(copy AUDIT_CHECKPOINT_DIR elsewhere) narrow that window.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from symbl_admin import private_files
from symbl_admin.caching import Layer, keys

from .models import GENESIS_HASH, HASHED_FIELDS, AuditEntry, chain_hash

CHECKPOINTS_FILE = "checkpoints.jsonl"
LAST_RESULT_FILE = "last-verification.json"
# The screen verifies at most this many entries past the last checkpoint on a page view.
INCREMENTAL_LIMIT = 1000


@dataclass(frozen=True)
class Checkpoint:
    count: int
    head_hash: str
    time: str


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    head_hash: str
    problem: str = ""
    broken_seq: int | None = None


def _rows(after_seq: int, limit: int | None = None) -> Iterator[tuple]:
    qs = (
        AuditEntry.objects.filter(seq__gt=after_seq)
        .order_by("seq")
        .values_list(*HASHED_FIELDS, "prev_hash", "hash")
    )
    if limit is not None:
        qs = qs[:limit]
    return qs.iterator(chunk_size=2000)


PROGRESS_EVERY = 1000


def walk_chain(
    *,
    after_seq: int = 0,
    after_hash: str = GENESIS_HASH,
    limit: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> VerifyResult:
    """Recompute the chain from (after_seq, after_hash); stop at the first broken entry.
    `progress(done)` is told every PROGRESS_EVERY entries (the screen's full check)."""
    expected, prev = after_seq + 1, after_hash
    for values in _rows(after_seq, limit):
        done = expected - after_seq - 1
        if progress is not None and done and done % PROGRESS_EVERY == 0:
            progress(done)
        row = dict(zip(HASHED_FIELDS, values[: len(HASHED_FIELDS)], strict=True))
        stored_prev, stored_hash = values[len(HASHED_FIELDS) :]
        seq = row["seq"]
        if seq != expected:
            return VerifyResult(
                False,
                expected - 1,
                prev,
                f"Entry #{expected} is missing (deleted?): the next entry is #{seq}.",
                expected,
            )
        if stored_prev != prev:
            return VerifyResult(
                False,
                seq - 1,
                prev,
                f"Entry #{seq} does not follow entry #{seq - 1} (inserted or replaced?).",
                seq,
            )
        if row["completes_id"] is not None and row["completes_id"] >= seq:
            return VerifyResult(False, seq - 1, prev, f"Entry #{seq} completes a later entry.", seq)
        if chain_hash(prev, row) != stored_hash:
            return VerifyResult(
                False,
                seq - 1,
                prev,
                f"Entry #{seq} was altered: its content does not match its hash.",
                seq,
            )
        expected, prev = seq + 1, stored_hash
    return VerifyResult(True, expected - 1, prev)


def checkpoint_dir() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def last_checkpoint() -> Checkpoint | None:
    """The most recent checkpoint written by verify_audit, or None."""
    path = checkpoint_dir() / CHECKPOINTS_FILE
    try:
        lines = path.read_text().splitlines()
    except FileNotFoundError:
        return None
    for line in reversed(lines):
        try:
            data = json.loads(line)
            return Checkpoint(int(data["count"]), str(data["head_hash"]), str(data["time"]))
        except (ValueError, KeyError, TypeError):
            continue  # a torn last line from a crash: use the one before
    return None


def _hash_at(seq: int) -> str | None:
    if seq == 0:
        return GENESIS_HASH
    return AuditEntry.objects.filter(seq=seq).values_list("hash", flat=True).first()


def check_against(checkpoint: Checkpoint | None, result: VerifyResult) -> VerifyResult:
    """A verified chain must still contain the checkpoint's entries, unchanged."""
    if checkpoint is None or not result.ok:
        return result
    if result.count < checkpoint.count:
        return VerifyResult(
            False,
            result.count,
            result.head_hash,
            f"The log ends at entry #{result.count}, but the checkpoint of {checkpoint.time} "
            f"recorded {checkpoint.count} entries: the tail was removed.",
            result.count + 1,
        )
    if _hash_at(checkpoint.count) != checkpoint.head_hash:
        return VerifyResult(
            False,
            result.count,
            result.head_hash,
            f"Entry #{checkpoint.count} differs from the checkpoint of {checkpoint.time}: "
            "the log was rewritten.",
            checkpoint.count,
        )
    return result


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    private_files.write_private(tmp, text)
    os.replace(tmp, path)


def check_review_links(result: VerifyResult) -> VerifyResult:
    """Every review entry covers earlier successful-or-not write intents of its own object type
    (the chain proves the link was not altered; this proves it points at the right kind)."""
    from .models import REVIEW_ACTIONS, WRITE_ACTIONS

    reviews = AuditEntry.objects.filter(action__in=list(REVIEW_ACTIONS)).order_by("seq")
    for seq, object_type, after in reviews.values_list("seq", "object_type", "after"):
        covers = (after or {}).get("covers") if isinstance(after, dict) else None
        wanted = {c for c in covers or () if isinstance(c, int) and 0 < c < seq}
        found = set(
            AuditEntry.objects.filter(
                seq__in=wanted,
                completes__isnull=True,
                object_type=object_type,
                action__in=list(WRITE_ACTIONS),
            ).values_list("seq", flat=True)
        )
        if not covers or found != wanted or len(wanted) != len(covers):
            problem = f"Review entry #{seq} does not point at earlier changes of its object."
            return VerifyResult(False, result.count, result.head_hash, problem, seq)
    return result


def verify(
    *, write_checkpoint: bool = True, progress: Callable[[int], None] | None = None
) -> VerifyResult:
    """Walk the whole chain, compare with the last checkpoint, record the result (and a new
    checkpoint when the chain is sound)."""
    result = check_against(last_checkpoint(), walk_chain(progress=progress))
    if result.ok:
        result = check_review_links(result)
    directory = private_files.private_dir(checkpoint_dir(), children=True)
    now = _now()
    if result.ok and write_checkpoint:
        line = json.dumps({"count": result.count, "head_hash": result.head_hash, "time": now})
        fd = private_files.create_private(directory / CHECKPOINTS_FILE, os.O_WRONLY | os.O_APPEND)
        with os.fdopen(fd, "a") as handle:
            handle.write(line + "\n")
    write_atomic(directory / LAST_RESULT_FILE, json.dumps({**asdict(result), "time": now}))
    return result


def last_result() -> dict | None:
    try:
        return json.loads((checkpoint_dir() / LAST_RESULT_FILE).read_text())
    except (FileNotFoundError, ValueError):
        return None


@dataclass(frozen=True)
class ChainStatus:
    state: str  # "ok", "broken", "unchecked"
    head_seq: int
    checked_count: int
    verified_at: str
    problem: str = ""
    broken_seq: int | None = None

    @property
    def unchecked_count(self) -> int:
        return max(0, self.head_seq - self.checked_count)


_statuses = Layer(
    "chain-status",
    size=8,
    saves="the audit pages' chain banner: an incremental check of the newest entries",
    miss="hashing up to INCREMENTAL_LIMIT entries again",
)


def chain_status() -> ChainStatus:
    """The chain's status for the screens: the last full verification plus an incremental check
    of at most INCREMENTAL_LIMIT newer entries. Kept until the head or the last result moves."""
    head = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    head_seq, head_hash = head if head else (0, GENESIS_HASH)
    key = keys.derive("chain-status", head_seq, head_hash, last_result())
    return _statuses.get(key, lambda: _compute_status(head_seq))


def _compute_status(head_seq: int) -> ChainStatus:
    last = last_result() or {}
    verified_at = str(last.get("time", ""))
    if last and not last.get("ok"):
        return ChainStatus(
            "broken",
            head_seq,
            int(last.get("count", 0)),
            verified_at,
            str(last.get("problem", "")),
            last.get("broken_seq"),
        )
    checkpoint = last_checkpoint()
    start = checkpoint or Checkpoint(0, GENESIS_HASH, "")
    # The checkpoint's own entry must still be there, unchanged (cheap: one indexed lookup).
    checked = check_against(checkpoint, VerifyResult(True, head_seq, ""))
    if not checked.ok:
        return ChainStatus(
            "broken", head_seq, start.count, verified_at, checked.problem, checked.broken_seq
        )
    tail = walk_chain(after_seq=start.count, after_hash=start.head_hash, limit=INCREMENTAL_LIMIT)
    if not tail.ok:
        return ChainStatus(
            "broken", head_seq, tail.count, verified_at, tail.problem, tail.broken_seq
        )
    state = "ok" if tail.count == head_seq else "unchecked"
    return ChainStatus(state, head_seq, tail.count, verified_at)
