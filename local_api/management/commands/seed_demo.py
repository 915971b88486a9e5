"""`manage.py seed_demo`: the Symbl docs' example trackers and groups, and about fifty demo
conversations (conversations/demo_seed.py) that the demo groups select, loaded once.

Goes through the dashboard's own Management API client, like every other write:
- by default into whatever the dashboard talks to (the embedded server unless
  SYMBL_API_BASE_URL is set);
- `--data PATH` into an embedded server on that file; `--url URL` into that server (with
  SYMBL_APP_ID/SYMBL_APP_SECRET, or the local default pair).

"Once" means once per target: a marker under var/ remembers it, so a demo tracker the user
deleted is not brought back by the next `make run`. Items whose name exists are skipped
either way; `--force` ignores the marker.

A seed that cannot be done (server down, account full, a name taken) stops with a
CommandError (exit 1) naming why. `--if-possible`, what `make run` uses, prints that reason
as a warning on stderr and exits 0, so starting never depends on the upstream.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from local_api import local_credentials
from symbl_admin.management_api import ManagementAPIClient, get_client
from symbl_admin.management_api.errors import ManagementAPIError, NotFound

SEED_FILE = Path(__file__).resolve().parents[2] / "seed_data.json"


def load_seed_data(path: Path = SEED_FILE) -> dict[str, list[dict[str, Any]]]:
    """The seed items, without their `_` annotation keys."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {
        kind: [{k: v for k, v in item.items() if not k.startswith("_")} for item in raw[kind]]
        for kind in ("trackers", "groups")
    }


def _import(client, resource, items: list[dict]) -> int:
    """Create `items` with the import screen's own service (bulk calls, one audit entry per
    object). Returns how many were created. Raises: CommandError naming what failed."""
    from audit.services import AuditContext
    from resources import services

    ctx = AuditContext.system("seed_demo", reason="demo data")
    report = services.ImportReport()
    for chunk in services.import_chunks(items):
        services.import_chunk(client=client, resource=resource, items=chunk, ctx=ctx, report=report)
    if report.failed:
        reasons = "; ".join(f"{f['name']}: {f['reason']}" for f in report.failed[:3])
        raise CommandError(f"Seeding failed: {len(report.failed)} not created ({reasons}).")
    return len(report.created)


class Command(BaseCommand):
    help = "Create the Symbl docs' example trackers and groups and the demo conversations once."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--data", default="", help="embedded server's SQLite file")
        parser.add_argument("--url", default="", help="a standalone/compatible server instead")
        parser.add_argument("--force", action="store_true", help="seed even if done before")
        parser.add_argument(
            "--if-possible",
            action="store_true",
            help="a seed that cannot be done is a warning (exit 0), not an error",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self._handle(options)
        except CommandError as exc:
            if not options["if_possible"]:
                raise
            self.stderr.write(f"Warning: demo data not seeded: {exc}")

    def _handle(self, options: dict[str, Any]) -> None:
        if options["data"] and not options["url"]:
            with override_settings(SYMBL_API_BASE_URL="", SYMBL_LOCAL_API_DATA=options["data"]):
                return self._seed(options)
        return self._seed(options)

    def _seed(self, options: dict[str, Any]) -> None:
        client, target = self._client(options)
        digest = hashlib.sha256(target.encode()).hexdigest()[:16]
        marker = Path(settings.VAR_DIR) / ("demo-seeded-" + digest)
        # Conversations came later (issue 24): their own marker, so an install seeded before
        # gets them on its next start, and one whose user deleted them does not again.
        talk_marker = Path(settings.VAR_DIR) / ("demo-conversations-seeded-" + digest)
        if marker.exists() and talk_marker.exists() and not options["force"]:
            self.stdout.write("Demo data was seeded before; leaving the data as it is.")
            return
        try:
            if options["force"] or not marker.exists():
                self._seed_resources(client)
                marker.write_text(target + "\n")
            if options["force"] or not talk_marker.exists():
                self._seed_conversations(client, talk_marker, target)
        except ManagementAPIError as exc:
            reason = " ".join(part for part in (exc.title, exc.message) if part)
            raise CommandError(f"Seeding failed: {reason}") from exc

    def _seed_resources(self, client) -> None:
        from groups.resource import GROUPS
        from trackers.resource import TRACKERS

        seed = load_seed_data()
        for resource in (TRACKERS, GROUPS):
            items = seed[resource.plural]
            existing = {o.name for o in resource.api(client).list()}
            todo = [item for item in items if item["name"] not in existing]
            created = _import(client, resource, todo)
            self.stdout.write(
                f"{resource.plural}: {created} created, {len(items) - len(todo)} already there"
            )

    def _seed_conversations(self, client, marker: Path, target: str) -> None:
        """The demo conversations, where the server offers the conversation API (a server
        without it, e.g. an older one, is a warning: trackers and groups are seeded anyway)."""
        from audit.services import AuditContext
        from conversations.demo_seed import seed_conversations

        ctx = AuditContext.system("seed_demo", reason="demo data")
        try:
            created, there = seed_conversations(client=client, ctx=ctx)
        except NotFound:
            self.stderr.write(
                "Warning: demo conversations not seeded: this Management API server has no "
                "conversation API (POST /v1/process/text, GET /v1/conversations)."
            )
            return
        self.stdout.write(f"conversations: {created} created, {there} already there")
        marker.write_text(target + "\n")

    def _client(self, options: dict[str, Any]) -> tuple[Any, str]:
        if options["url"]:
            app_id, app_secret = local_credentials(settings.SYMBL_APP_ID, settings.SYMBL_APP_SECRET)
            url = options["url"].rstrip("/")
            return ManagementAPIClient(url, app_id, app_secret), url
        client = get_client()
        target = settings.SYMBL_API_BASE_URL or f"embedded:{settings.SYMBL_LOCAL_API_DATA}"
        return client, target
