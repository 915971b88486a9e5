"""manage.py rebuild_standings: make the review standings table again from the whole log
(after restoring a database by hand, or to check it: it is kept by every append)."""

from django.core.management.base import BaseCommand

from audit.chain import write_lock
from review.standings import rebuild


class Command(BaseCommand):
    help = "Rebuild the review standings table from the audit log."

    def handle(self, *args, **options):
        with write_lock(durable=True):  # no append while it is made
            count = rebuild()
        self.stdout.write(f"Review standings rebuilt: {count} objects.")
