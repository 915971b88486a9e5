"""`manage.py backup [DIR]`: the dashboard database, the local Management API's data and the
audit checkpoints, consistent with each other, into a new folder (default
var/backups/<UTC time>/); the folder is the owner's only. See backup/services.py.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backup.manifest import BackupError
from backup.services import take_backup


class Command(BaseCommand):
    help = "Back up the dashboard database, the Management API's data and the audit checkpoints."

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default="", help="a new or empty folder")
        parser.add_argument(
            "--api-data",
            default="",
            help="the Management API's SQLite file or PostgreSQL URL, where it is not the "
            "settings' (SYMBL_LOCAL_API_DATABASE_URL, else SYMBL_LOCAL_API_DATA)",
        )

    def handle(self, *args, directory: str = "", api_data: str = "", **options):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        folder = Path(directory) if directory else Path(settings.VAR_DIR) / "backups" / stamp
        try:
            manifest = take_backup(folder, api_location=api_data)
        except BackupError as error:
            raise CommandError(str(error)) from None
        counts = manifest.counts
        held = [
            f"the dashboard database ({counts.get('users', 0)} users, the audit log to entry "
            f"#{counts.get('audit_entries', 0)})"
        ]
        if manifest.management_api is None:
            held.append("no Management API data (none found here)")
        else:
            held.append(
                f"the Management API's data ({counts.get('trackers', 0)} trackers, "
                f"{counts.get('groups', 0)} groups)"
            )
        held.append(f"{len(manifest.checkpoints)} audit checkpoint file(s)")
        self.stdout.write(
            self.style.SUCCESS(f"Backup written to {folder}: " + ", ".join(held) + ".")
        )
        self.stdout.write("Keep a copy off this host; `manage.py restore` reads it back.")
