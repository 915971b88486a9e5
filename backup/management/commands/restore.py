"""`manage.py restore DIR [--yes] [--force]`: put a backup back into this checkout's places
(the settings' databases and AUDIT_CHECKPOINT_DIR). Asks first (or --yes); refuses to replace
data unless --force, and then backs that data up first. Stop the servers before, start them
after. See backup/services.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backup.manifest import BackupError
from backup.services import plan_restore, refuse_occupied, restore


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into this checkout."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="the backup's folder")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace data that is there now (it is backed up first)",
        )
        parser.add_argument(
            "--api-data",
            default="",
            help="restore the Management API's data to this SQLite file or PostgreSQL URL "
            "instead of the settings' one",
        )

    def handle(self, *args, directory: str, yes: bool, force: bool, api_data: str, **options):
        try:
            plan = plan_restore(Path(directory), api_location=api_data)
            self.stdout.write(f"The backup of {plan.manifest.created} in {directory} restores:")
            for step in plan.steps():
                self.stdout.write(f"  {step}")
            if not force:
                refuse_occupied(plan)
            if not yes and not self._confirmed():
                raise CommandError("Not restored: nothing was changed (--yes confirms).")
            done = restore(plan, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for line in done:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                "Restore complete. Check it with `make verify-audit`, then start the servers."
            )  # fmt: skip
        )

    def _confirmed(self) -> bool:
        if not sys.stdin.isatty():
            return False
        return input("Type yes to restore: ").strip().lower() == "yes"
