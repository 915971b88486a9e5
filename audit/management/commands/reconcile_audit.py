"""`manage.py reconcile_audit`: resolve unknown and stale pending audit entries by reading the
Management API, appending an outcome entry for each one the server's state settles."""

from django.core.management.base import BaseCommand

from audit.reconcile import reconcile_unresolved


class Command(BaseCommand):
    help = "Resolve 'unknown' and stale 'pending' audit entries against the Management API."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Check at most N entries.")

    def handle(self, *args, limit=None, **options):
        found, resolved = reconcile_unresolved(limit=limit)
        for entry in resolved:
            self.stdout.write(f"#{entry.completes_id} → {entry.outcome}: {entry.upstream_message}")
        left = found - len(resolved)
        self.stdout.write(
            self.style.SUCCESS(f"{found} unresolved, {len(resolved)} resolved, {left} left.")
        )
