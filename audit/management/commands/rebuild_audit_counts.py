"""manage.py rebuild_audit_counts: make the audit log's count tables again from the whole log
(after restoring a database by hand, or to check them: they are kept by every append)."""

from django.core.management.base import BaseCommand

from audit.chain import write_lock
from audit.counts import rebuild


class Command(BaseCommand):
    help = "Rebuild the audit log's count tables (totals, entries per actor) from the log."

    def handle(self, *args, **options):
        with write_lock(durable=True):  # no append while they are made
            found = rebuild()
        self.stdout.write(
            f"Audit counts rebuilt: {found.entries} entries, {found.outcomes} outcome records."
        )
