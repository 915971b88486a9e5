"""Prepare one dashboard database for `make bench`, in the dashboard's own settings:

    python -m benchmarks.prepare --audit 100000 --password PW --objects objects.json

migrates, creates the user `bench` (Admin: every screen, the audit export included) and an
audit log of about N entries written through the audit services as the dashboard writes them:
updates of the account's real trackers and groups (an intent and its outcome each, 1,000 per
transaction), then a team lead's approval of every object but QUEUED (the review queue).
"""

from __future__ import annotations

import argparse
import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "symbl_admin.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402

from accounts.roles import ADMIN, TEAM_LEAD  # noqa: E402
from audit.services import (  # noqa: E402
    AuditContext,
    audit_complete_many,
    audit_record_many,
)
from benchmarks import data  # noqa: E402
from review.reviews import object_reviews  # noqa: E402
from review.services import review_approve  # noqa: E402

USER = "bench"
QUEUED = 40  # objects left waiting for a review


def _writes(objects: dict[str, list[dict]], writes: int) -> None:
    ctx = AuditContext.system("bench")
    kinds = [("tracker", objects["trackers"]), ("group", objects["groups"])]
    for n, start in enumerate(range(0, writes, 1000)):
        kind, these = kinds[n % 2]
        items = data.audit_items(these, min(1000, writes - start), start)
        entries = audit_record_many(ctx=ctx, action="update", object_type=kind, items=items)
        audit_complete_many(entries, outcome="success", status=200)


def _approve_all_but_queued(lead) -> None:
    reviews = sorted(object_reviews().values(), key=lambda r: r.object_id)
    targets = [(r.object_type, r.object_id, r.head) for r in reviews[QUEUED:]]
    ctx = AuditContext(
        actor=lead, username=lead.username, request_id="bench", ip="", user_agent="", reason=""
    )
    for start in range(0, len(targets), 200):
        review_approve(user=lead, ctx=ctx, targets=targets[start : start + 200])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--audit", type=int, required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--objects", required=True, help="the ids and names of the account")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user(
        USER, password=args.password, is_staff=True, is_superuser=True
    )
    user.groups.add(Group.objects.get(name=ADMIN))
    lead = get_user_model().objects.create_user(USER + "-lead", password=args.password)
    lead.groups.add(Group.objects.get(name=TEAM_LEAD))
    with open(args.objects) as file:
        objects = json.load(file)
    written = min(args.audit // 2, len(objects["trackers"]) + len(objects["groups"]))
    approvals = max(written - QUEUED, 0)
    _writes(objects, (args.audit - approvals) // 2)  # two entries per write, one per approval
    _approve_all_but_queued(lead)
    # As an operator runs it (README, "Running at scale": from cron): the chain verified and a
    # checkpoint written, so the audit pages' banner hashes only the entries since.
    call_command("verify_audit", verbosity=0)


if __name__ == "__main__":
    main()
