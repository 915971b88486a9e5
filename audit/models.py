"""Audit layer: the append-only, hash-chained audit log (with users and sessions, the only data
the dashboard's database stores).

Design decisions:

* **Outcomes are appended, never written back** (option (a) of issue 4). A write is recorded
  as an *intent* row (outcome "pending") before the upstream call; its result is a second,
  *outcome* row whose ``completes`` points at the intent. No row ever changes after insert,
  so the database can refuse every UPDATE and DELETE outright and the hash chain covers
  every fact as it was first written. The screens merge an intent with its latest outcome.
  Option (b) (one trigger-checked pending→final UPDATE) would need the chain to be re-hashed
  or to skip the mutable columns, and a trigger that must distinguish a legitimate
  transition from a forged one — more rules, weaker guarantee.
* **seq is the primary key**: entries are numbered 1, 2, 3, ... without gaps, allocated under
  the write lock (see chain.append), so the chain can never fork.
* **hash = SHA-256(previous hash ‖ canonical JSON of this entry)**, see ``canonical_json``.
* **The actor FK is outside the hash.** Deleting a user sets ``actor`` to NULL (Django's
  SET_NULL issues an UPDATE); the triggers allow exactly that one change and nothing else, and
  the hashed ``actor_username`` copy keeps who it was.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, timedelta
from typing import Any

from django.conf import settings
from django.db import models

GENESIS_HASH = "0" * 64


class Action(models.TextChoices):
    CREATE = "create", "Create"
    UPDATE = "update", "Update"
    DELETE = "delete", "Delete"
    BULK_CREATE = "bulk_create", "Bulk create"
    IMPORT = "import", "Import"
    REVERT = "revert", "Revert"
    RESTORE = "restore", "Restore"
    LOGIN = "login", "Sign-in"
    LOGOUT = "logout", "Sign-out"
    LOGIN_FAILED = "login_failed", "Failed sign-in"
    PERMISSION_DENIED = "permission_denied", "Permission denied"
    REVIEW_APPROVED = "review_approved", "Review: approved"
    REVIEW_CHANGES_REQUESTED = "review_changes_requested", "Review: changes requested"
    # Accounts (users and roles): complete in one entry each. A password set or reset says by
    # whom, never the password or its hash.
    ACCOUNT_CREATE = "account_create", "Account: created"
    ACCOUNT_UPDATE = "account_update", "Account: changed"
    ACCOUNT_DELETE = "account_delete", "Account: deleted"
    PASSWORD_SET = "password_set", "Account: password set"
    AUDIT_VERIFIED = "audit_verified", "Full integrity check"


WRITE_ACTIONS = frozenset(
    {
        Action.CREATE,
        Action.UPDATE,
        Action.DELETE,
        Action.BULK_CREATE,
        Action.IMPORT,
        Action.REVERT,
        Action.RESTORE,
    }
)
# A lead's sign-off on an object's changes: complete in one entry, its `after` names the write
# entries it covers ({"covers": [seq, ...], "comment": ...}), so the link is hash-chained too.
REVIEW_ACTIONS = frozenset({Action.REVIEW_APPROVED, Action.REVIEW_CHANGES_REQUESTED})
# Actions that make a new object on the server (its id is known only from the answer).
CREATING_ACTIONS = frozenset({Action.CREATE, Action.BULK_CREATE, Action.IMPORT, Action.RESTORE})
# What an account change may be recorded as (audit.services.record_account_change).
ACCOUNT_ACTIONS = frozenset(
    {Action.ACCOUNT_CREATE, Action.ACCOUNT_UPDATE, Action.ACCOUNT_DELETE, Action.PASSWORD_SET}
)


class ObjectType(models.TextChoices):
    TRACKER = "tracker", "Tracker"
    GROUP = "group", "Group"
    # Accounts (accounts/audit_trail.py): complete in one entry each, written in the same
    # transaction as the change they record.
    USER = "user", "User account"
    ROLE = "role", "Role"
    # A conversation imported, its metadata edited or it deleted (conversations/): ids, names
    # and metadata only, never what was said.
    CONVERSATION = "conversation", "Conversation"


class Outcome(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCESS = "success", "Succeeded"
    FAILED = "failed", "Failed"
    UNKNOWN = "unknown", "Unknown"


FINAL_OUTCOMES = frozenset({Outcome.SUCCESS, Outcome.FAILED})


def stale_after() -> timedelta:
    """How old a pending entry must be before it counts as abandoned (crash, killed worker):
    settings.AUDIT_PENDING_STALE_SECONDS. The screens show it as "No answer recorded" and
    reconcile.py checks it against the server."""
    return timedelta(seconds=float(settings.AUDIT_PENDING_STALE_SECONDS))


# The columns the hash covers, in the order they are written to the canonical JSON (the JSON
# keys are sorted anyway; this list is the contract verify_audit and the services share).
HASHED_FIELDS = (
    "seq",
    "time",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "object_name",
    "before",
    "after",
    "outcome",
    "upstream_status",
    "upstream_message",
    "request_id",
    "ip",
    "user_agent",
    "reason",
    "completes_id",
)


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # The one change allowed: a deleted user's FK becomes NULL (the username copy stays).
        if set(kwargs) <= {"actor", "actor_id"} and all(v is None for v in kwargs.values()):
            return super().update(**kwargs)
        raise AppendOnlyError("The audit log is append-only: entries cannot be updated.")

    def delete(self):
        raise AppendOnlyError("The audit log is append-only: entries cannot be deleted.")

    delete.queryset_only = True

    def intents_and_events(self):
        """Rows that stand on their own (not outcome rows), i.e. what the screens list."""
        return self.filter(completes__isnull=True)


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(primary_key=True, verbose_name="number")
    time = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    actor_username = models.CharField(max_length=150, blank=True, db_index=True)
    action = models.CharField(max_length=32, choices=Action.choices)
    object_type = models.CharField(max_length=16, choices=ObjectType.choices, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_name = models.CharField(max_length=512, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    upstream_status = models.PositiveIntegerField(null=True, blank=True)
    upstream_message = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True, db_index=True)
    ip = models.CharField(max_length=64, blank=True)
    user_agent = models.CharField(max_length=512, blank=True)
    reason = models.TextField(blank=True)
    # Set on outcome rows: the intent (pending) row this outcome belongs to.
    completes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcomes",
        db_index=False,  # see the partial index "audit_completes" below
    )
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["action", "seq"], name="audit_action_seq"),
            models.Index(fields=["object_type", "object_id", "seq"], name="audit_object_seq"),
            # An object's successful writes (audit.reviews): without it SQLite walks every
            # success of the log through audit_outcome_seq.
            models.Index(
                fields=["object_type", "object_id", "outcome", "action"],
                name="audit_object_outcome",
            ),
            models.Index(fields=["outcome", "seq"], name="audit_outcome_seq"),
            models.Index(fields=["actor", "seq"], name="audit_actor_seq"),
            # Partial, so that "completes IS NULL ORDER BY seq DESC" (the table's first page)
            # walks the primary key instead of this index; lookups by completes still use it.
            models.Index(
                fields=["completes"],
                condition=models.Q(completes__isnull=False),
                name="audit_completes",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type} {self.object_name}".strip()

    # Python-level refusal; the database triggers (migration 0002) refuse the same.
    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The audit log is append-only: entries cannot be updated.")
        if not (self.hash and self.prev_hash):
            # Only chain.append numbers and chains entries; a bare create() would fork it.
            raise AppendOnlyError("Write audit entries through audit.services.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only: entries cannot be deleted.")

    @property
    def is_outcome(self) -> bool:
        return self.completes_id is not None

    def hashed_values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in HASHED_FIELDS}

    def compute_hash(self) -> str:
        return chain_hash(self.prev_hash, self.hashed_values())


def _iso(value) -> str:
    # One fixed spelling of the time, whatever the database hands back.
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(values: dict[str, Any]) -> str:
    """The canonical JSON of an entry's hashed fields: sorted keys, no spaces, UTF-8, UTC time."""
    data = dict(values)
    data["time"] = _iso(data["time"])
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash: str, values: dict[str, Any]) -> str:
    """SHA-256(previous hash ‖ canonical JSON of this entry), hex."""
    digest = hashlib.sha256()
    digest.update(prev_hash.encode("ascii"))
    digest.update(canonical_json(values).encode("utf-8"))
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------
# Counts of the log: an index kept in the same transaction as the appends (audit/counts.py)


class LogCount(models.Model):
    """The log's running totals, one row: an index of the log that audit.chain keeps in the
    same transaction as the entries it appends (audit/counts.py); `manage.py
    rebuild_audit_counts` makes it again from the log. Not a cache: never switched off."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)  # the one row
    up_to = models.PositiveBigIntegerField(default=0)  # the seq of the last entry counted
    entries = models.PositiveBigIntegerField(default=0)  # every row of the log
    outcomes = models.PositiveBigIntegerField(default=0)  # rows with `completes` set

    def __str__(self) -> str:
        return f"{self.entries} entries up to #{self.up_to}, {self.outcomes} outcome records"


class ActorCount(models.Model):
    """How many entries name each actor username (deleted accounts, attempted names of failed
    sign-ins and system names included): the "Who" filter's suggestions, in name order. Kept
    and rebuilt with LogCount."""

    actor_username = models.CharField(max_length=150, primary_key=True)
    entries = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.actor_username}: {self.entries}"
