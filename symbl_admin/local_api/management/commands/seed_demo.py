"""Local Management API server: `manage.py seed_demo`, the docs' example trackers and groups.

Loads symbl_admin/local_api/seed_data.json once: items whose name already exists are skipped,
so running it again changes nothing. It speaks the HTTP contract, like any client would:

- by default into the embedded server on settings.SYMBL_LOCAL_API_DATA (or --data PATH);
- with --url (or settings.SYMBL_API_BASE_URL set) into that server, with SYMBL_APP_ID/SECRET
  (or the local default pair).

TODO(merge): once symbl_admin.management_api.client exists, go through it instead of the
plain session below (that is the only reason this file talks to requests directly).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from symbl_admin.local_api import local_credentials

SEED_FILE = Path(__file__).resolve().parents[2] / "seed_data.json"
BUSY_RETRIES = 5
TIMEOUT = (3.0, 15.0)


def load_seed_data(path: Path = SEED_FILE) -> dict[str, list[dict[str, Any]]]:
    """The seed items, without their `_` annotation keys."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {
        kind: [{k: v for k, v in item.items() if not k.startswith("_")} for item in raw[kind]]
        for kind in ("trackers", "groups")
    }


class Command(BaseCommand):
    help = "Create the Symbl docs' example trackers and groups (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--data", default="", help="embedded server's SQLite file")
        parser.add_argument("--url", default="", help="a standalone/compatible server instead")

    def handle(self, *args: Any, **options: Any) -> None:
        session, base_url = self._session(options)
        headers = {"Authorization": f"Bearer {self._token(session, base_url, options)}"}
        seed = load_seed_data()
        for kind, singular in (("trackers", "tracker"), ("groups", "group")):
            listed = self._call(session, "GET", f"{base_url}/v1/manage/{kind}", headers)
            existing = {item["name"] for item in listed.json()[kind]}
            created = skipped = 0
            for item in seed[kind]:
                if item["name"] in existing:
                    skipped += 1
                    continue
                self._call(session, "POST", f"{base_url}/v1/manage/{singular}", headers, json=item)
                created += 1
            self.stdout.write(f"{kind}: {created} created, {skipped} already there")

    def _session(self, options: dict[str, Any]) -> tuple[Any, str]:
        url = options["url"] or (settings.SYMBL_API_BASE_URL if not options["data"] else "")
        if url:
            import requests  # noqa: TID251 -- see the module docstring

            return requests.Session(), url.rstrip("/")
        from symbl_admin.local_api.app import create_app
        from symbl_admin.management_api.embedded import (
            EMBEDDED_BASE_URL,
            embedded_app,
            embedded_session,
        )

        if options["data"]:
            app_id, app_secret = local_credentials(settings.SYMBL_APP_ID, settings.SYMBL_APP_SECRET)
            app = create_app(data_path=options["data"], app_id=app_id, app_secret=app_secret)
        else:
            app = embedded_app()
        return embedded_session(app), EMBEDDED_BASE_URL

    def _token(self, session: Any, base_url: str, options: dict[str, Any]) -> str:
        app_id, app_secret = local_credentials(settings.SYMBL_APP_ID, settings.SYMBL_APP_SECRET)
        response = self._call(
            session,
            "POST",
            f"{base_url}/oauth2/token:generate",
            {},
            json={"type": "application", "appId": app_id, "appSecret": app_secret},
        )
        return response.json()["accessToken"]

    @staticmethod
    def _call(session: Any, method: str, url: str, headers: dict[str, str], **kwargs: Any):
        for attempt in range(BUSY_RETRIES):
            response = session.request(method, url, headers=headers, timeout=TIMEOUT, **kwargs)
            if response.status_code != 429:
                break
            time.sleep(0.2 * 2**attempt)
        if response.status_code >= 400:
            try:
                message = response.json().get("message", response.text)
            except ValueError:
                message = response.text
            raise CommandError(f"{method} {url} answered {response.status_code}: {message}")
        return response
