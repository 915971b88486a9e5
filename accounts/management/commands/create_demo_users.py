"""Creates the demo users admin, analyst, lead and auditor once (idempotent)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.roles import ADMIN, ANALYST, AUDITOR, TEAM_LEAD
from audit.account_trail import recording, system_context
from symbl_admin import private_files

DEMO_USERS = [
    ("admin", ADMIN),
    ("analyst", ANALYST),
    ("lead", TEAM_LEAD),
    ("auditor", AUDITOR),
]


class Command(BaseCommand):
    help = "Create the demo users (admin, analyst, lead, auditor) if they do not exist."

    def handle(self, *args, **options):
        User = get_user_model()
        missing = [(u, r) for u, r in DEMO_USERS if not User.objects.filter(username=u).exists()]
        password_file = Path(settings.VAR_DIR) / "demo-password"
        if not missing:
            self.stdout.write(
                "Demo logins: admin, analyst, lead, auditor (password set when they were "
                f"created: DEMO_PASSWORD, or the one saved in {password_file})."
            )
            return
        password = os.environ.get("DEMO_PASSWORD", "")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
            private_files.write_private(password_file, password + "\n")
        # One audit entry per user created (by "system"), not one per save.
        with transaction.atomic(), recording(system_context()):
            for username, role in missing:
                user = User(username=username, is_staff=role == ADMIN, is_superuser=role == ADMIN)
                user.set_password(password)
                user.save()
                user.groups.add(Group.objects.get(name=role))
        names = ", ".join(u for u, _ in missing)
        self.stdout.write(self.style.SUCCESS(f"Created demo users: {names}"))
        if generated:
            self.stdout.write(
                f"Their password (shown once; also saved in {password_file}): {password}"
            )
        else:
            self.stdout.write("Their password is the value of DEMO_PASSWORD.")
