"""`manage.py verify_audit`: walk the audit hash chain and compare it with the last checkpoint.

Exit status 0 when sound (a new checkpoint is written), 1 naming the first broken entry.
Run it from cron; copy AUDIT_CHECKPOINT_DIR off the host to make truncation harder to hide.
"""

from django.core.management.base import BaseCommand, CommandError

from audit.integrity import checkpoint_dir, verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and its last checkpoint; exit 1 if broken."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-checkpoint",
            action="store_true",
            help="Check only; do not write a new checkpoint.",
        )

    def handle(self, *args, no_checkpoint: bool = False, **options):
        result = verify(write_checkpoint=not no_checkpoint)
        if not result.ok:
            raise CommandError(
                f"Audit log BROKEN at entry #{result.broken_seq}: {result.problem}", returncode=1
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit log OK: {result.count} entries, head {result.head_hash[:16]}…"
                + ("" if no_checkpoint else f" (checkpoint written to {checkpoint_dir()})")
            )
        )
