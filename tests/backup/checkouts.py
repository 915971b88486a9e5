"""Test helpers: checkouts of the dashboard as separate processes, each with its own var/
(SYMBL_VAR_DIR: its dashboard database, Management API data, checkpoints, cache and locks),
populated through the dashboard's own services, and a dump of everything a restore must
bring back.

    a = Checkout(tmp_path / "a"); a.manage("migrate", "--noinput"); a.populate()
    a.manage("backup", str(tmp_path / "b"))
    assert Checkout(tmp_path / "c").dump() == a.dump()
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.ops.checkout import clean_env

PROJECT_DIR = Path(__file__).resolve().parents[2]

# Run by `manage.py shell`: users of every role, trackers and groups created, changed and
# deleted through the services the views call (each write audited), and a sign-in failure.
POPULATE = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from audit.context import AuditContext
from audit.models import Action, Outcome
from audit.services import record_event
from resources import services
from symbl_admin.management_api.client import get_client
from trackers.resource import TRACKERS
from groups.resource import GROUPS

call_command("create_demo_users")
user = get_user_model().objects.create_user("backup-owner", password="a-long-password-42")
user.groups.add(Group.objects.get(name="Admin"))
ctx = AuditContext.system("backup-test")
client = get_client()
kept = services.create(client=client, resource=TRACKERS, ctx=ctx,
                       data={"name": "Kept tracker", "vocabulary": ["refund please"]})
gone = services.create(client=client, resource=TRACKERS, ctx=ctx,
                       data={"name": "Deleted tracker", "vocabulary": ["bye now"]})
services.update(client=client, resource=TRACKERS, object_id=kept.id, fingerprint="", ctx=ctx,
                data={"name": "Kept tracker", "vocabulary": ["refund please", "money back"]})
services.delete(client=client, resource=TRACKERS, object_id=gone.id, ctx=ctx)
services.create(client=client, resource=GROUPS, ctx=ctx,
                data={"name": "Sales calls", "criteria": "conversation.metadata.team==sales",
                      "description": "Calls of the sales team"})
record_event(action=Action.LOGIN_FAILED, ctx=AuditContext.system("intruder"),
             outcome=Outcome.FAILED)
"""

# Everything a restore must bring back, as JSON: the objects as the API answers them (ids and
# stamps included), the users with their roles and password hashes, the audit log's head.
DUMP = """
import json
from django.contrib.auth import get_user_model
from audit.models import AuditEntry
from symbl_admin.management_api.client import get_client

client = get_client()
users = sorted(
    (u.username, u.password, sorted(g.name for g in u.groups.all()))
    for u in get_user_model().objects.all()
)
head = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
print(json.dumps({
    "trackers": [t.as_dict() for t in client.trackers.list()],
    "groups": [g.as_dict() for g in client.groups.list()],
    "users": users,
    "audit_head": head,
}))
"""


@dataclass
class Checkout:
    """A dashboard checkout with its own var/ folder, run as fresh processes."""

    var: Path
    extra: dict[str, str] = field(default_factory=dict)  # e.g. DATABASE_URL

    def env(self) -> dict[str, str]:
        self.var.mkdir(parents=True, exist_ok=True)
        return clean_env(
            DJANGO_SETTINGS_MODULE="symbl_admin.settings",
            DJANGO_SECRET_KEY="backup-test-secret-" + "k" * 40,
            DJANGO_HTTPS="0",
            SYMBL_VAR_DIR=str(self.var),
            LOG_LEVEL="WARNING",
            **self.extra,
        )

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """`manage.py <args>` in this checkout; stdout and stderr together in .stdout."""
        result = subprocess.run(  # noqa: S603
            [sys.executable, str(PROJECT_DIR / "manage.py"), *args],
            cwd=PROJECT_DIR,
            env=self.env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=120,
            check=False,
        )
        if check:
            assert result.returncode == 0, result.stdout
        return result

    def populate(self) -> None:
        self.manage("migrate", "--noinput")
        self.manage("shell", "-c", POPULATE)
        self.manage("verify_audit")  # a checkpoint, so the backup holds one

    def dump(self) -> dict:
        return json.loads(self.manage("shell", "-c", DUMP).stdout.strip().splitlines()[-1])
