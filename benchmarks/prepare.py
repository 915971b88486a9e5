"""Prepare one dashboard database for `make bench`, in the dashboard's own settings:

    python -m benchmarks.prepare --audit 100000 --password PW

migrates, creates the user `bench` (Admin: every screen, the audit export included) and
appends N audit entries through the audit service (chained and completed as the dashboard
writes them, 1,000 per transaction).
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "symbl_admin.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402

from benchmarks import data  # noqa: E402
from symbl_admin.accounts.roles import ADMIN  # noqa: E402
from symbl_admin.audit.services import (  # noqa: E402
    AuditContext,
    audit_complete_many,
    audit_record_many,
)

USER = "bench"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--audit", type=int, required=True)
    parser.add_argument("--password", required=True)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user(
        USER, password=args.password, is_staff=True, is_superuser=True
    )
    user.groups.add(Group.objects.get(name=ADMIN))
    ctx = AuditContext.system("bench")
    for start in range(0, args.audit, 1000):
        items = data.audit_items(min(1000, args.audit - start), start)
        entries = audit_record_many(ctx=ctx, action="update", object_type="tracker", items=items)
        audit_complete_many(entries, outcome="success", status=200)


if __name__ == "__main__":
    main()
