"""Fault soak: one simulated user — a requests.Session signed in through the login form,
doing random tracker writes through the real views (plain form posts, CSRF from the pages).

Every response is tallied; a POST that did not end in a redirect must show again what the
user typed (the name and phrases, or the note), else it is counted as lost input.
"""

from __future__ import annotations

import contextlib
import html
import json
import random
import sqlite3
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import requests

from tests.support.csrf import token_in

WORDS = [
    "price",
    "discount",
    "renewal",
    "contract",
    "refund",
    "invoice",
    "upgrade",
    "trial",
    "budget",
    "quote",
    "cancel",
    "support",
    "delay",
    "manager",
    "competitor",
    "billing",
    "onboarding",
    "pilot",
]
OPERATIONS = (("create", 30), ("edit", 30), ("delete", 12), ("import", 12), ("revert", 16))
ANALYST_OPERATIONS = (("create", 50), ("edit", 50))  # an analyst may not delete, import, revert
TIMEOUT = 60


class FormFields(HTMLParser):
    """The named inputs and textareas of a page (the first of each name), and the hidden
    CSRF token."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("checkbox", "radio", "submit"):
            self.values.setdefault(name, a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.setdefault(name, "")

    def handle_data(self, data):
        if self._textarea and self.values.get(self._textarea) == "":
            self.values[self._textarea] = data.lstrip("\n")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def form_fields(page: str) -> dict[str, str]:
    parser = FormFields()
    parser.feed(page)
    return parser.values


class SoakUser:
    """One person: their session, their random choices, their tallies."""

    def __init__(
        self, *, base_url: str, number: int, seed: int, api_data: Path, audit_db: Path
    ) -> None:
        self.base_url = base_url
        self.number = number
        self.rng = random.Random(seed * 1000 + number)
        self.session = requests.Session()
        self.api_data = api_data
        self.audit_db = audit_db
        self.statuses: Counter[int] = Counter()
        self.done: Counter[str] = Counter()
        self.lost_input: list[str] = []
        self.errors: list[str] = []
        self._made = 0
        self.operations = OPERATIONS
        self._token = ""  # the CSRF token of the last page seen (a browser's is its page's)

    # -- HTTP ------------------------------------------------------------------------------
    def get(self, path: str) -> requests.Response:
        response = self._send("GET", path)
        self._tally(path, response)
        self._token = token_in(response.text) or self._token
        return response

    def post(self, path: str, data: dict[str, str]) -> requests.Response:
        response = self._send(
            "POST",
            path,
            data={**data, "csrfmiddlewaretoken": self._token},
            headers={"Referer": self.base_url + path},
        )
        self._tally(path, response)
        return response

    def _send(self, method: str, path: str, **kwargs) -> requests.Response:
        """One request; sent once more if the connection closed before any answer, as a
        browser does when a kept-alive connection the server just timed out (gunicorn's
        2-second keep-alive) closes under it. Counted: the figures say how often. A dashboard
        worker that died instead shows in its log, which the run checks."""
        url = self.base_url + path
        try:
            return self.session.request(
                method, url, timeout=TIMEOUT, allow_redirects=False, **kwargs
            )
        except requests.ConnectionError:
            self.done["sent again after a closed connection"] += 1
            return self.session.request(
                method, url, timeout=TIMEOUT, allow_redirects=False, **kwargs
            )

    def _tally(self, path: str, response: requests.Response) -> None:
        self.statuses[response.status_code] += 1
        if response.status_code >= 500 and response.status_code not in (502, 503, 504):
            self.errors.append(f"{response.status_code} {path}")

    def sign_in(self, username: str, password: str) -> None:
        self.operations = ANALYST_OPERATIONS if username == "analyst" else OPERATIONS
        self.get("/accounts/login/")
        answer = self.post("/accounts/login/", {"username": username, "password": password})
        if answer.status_code != 302:
            raise RuntimeError(f"user {self.number} could not sign in: {answer.status_code}")
        self.get("/")  # signing in rotated the CSRF token: the next page has the new one

    def check_kept(self, op: str, response: requests.Response, typed: list[str]) -> None:
        """A submission that did not go through must show the typed values again."""
        if response.status_code in (301, 302, 303):
            self.done[op + " ok"] += 1
            return
        if response.status_code == 404 and op in ("delete", "revert"):
            self.done[op + " gone meanwhile"] += 1  # another user deleted it: nothing to keep
            return
        self.done[op + " refused"] += 1
        page = response.text
        missing = [value for value in typed if value and html.escape(value) not in page]
        if missing:
            self.lost_input.append(f"{op} {response.status_code}: {missing[:3]}")

    # -- what there is to act on (what the list and history screens would show) -----------
    def tracker_ids(self) -> list[str]:
        with contextlib.closing(
            sqlite3.connect(f"file:{self.api_data}?mode=ro", uri=True, timeout=10)
        ) as db:
            return [row[0] for row in db.execute("SELECT id FROM trackers ORDER BY seq")]

    def history_entries(self, object_id: str) -> list[int]:
        with contextlib.closing(
            sqlite3.connect(f"file:{self.audit_db}?mode=ro", uri=True, timeout=10)
        ) as db:
            rows = db.execute(
                "SELECT seq FROM audit_auditentry WHERE object_type='tracker' AND object_id=? "
                "AND completes_id IS NULL AND action IN ('update', 'revert')",
                (object_id,),
            )
            return [row[0] for row in rows]

    # -- operations ------------------------------------------------------------------------
    def new_name(self) -> str:
        self._made += 1
        return f"soak u{self.number} t{self._made} {self.rng.choice(WORDS)}"

    def phrases(self) -> list[str]:
        count = self.rng.randint(1, 4)
        picked = {" ".join(self.rng.sample(WORDS, self.rng.randint(1, 3))) for _ in range(count)}
        return sorted(picked)

    def run_one(self) -> None:
        names, weights = zip(*self.operations, strict=True)
        op = self.rng.choices(names, weights)[0]
        ids = self.tracker_ids()
        if op != "create" and op != "import" and not ids:
            op = "create"
        self.done[op] += 1
        getattr(self, f"do_{op}")(ids)

    def do_create(self, ids: list[str]) -> None:
        self.get("/trackers/new/")
        name, phrases = self.new_name(), self.phrases()
        data = {"name": name, "phrases": "\n".join(phrases), "reason": f"soak {name}"}
        self.check_kept("create", self.post("/trackers/new/", data), [name, *phrases])

    def do_edit(self, ids: list[str]) -> None:
        object_id = self.rng.choice(ids)
        page = self.get(f"/trackers/{object_id}/edit/")
        if page.status_code != 200:
            return
        fields = form_fields(page.text)
        if "fingerprint" not in fields:
            return
        phrases = self.phrases()
        data = {key: fields.get(key, "") for key in ("name", "description", "fingerprint")}
        data.update(categories=fields.get("categories", ""), languages=fields.get("languages", ""))
        data.update(phrases="\n".join(phrases), excluded="", reason="soak edit")
        answer = self.post(f"/trackers/{object_id}/edit/", data)
        self.check_kept("edit", answer, [data["name"], *phrases])

    def do_delete(self, ids: list[str]) -> None:
        object_id = self.rng.choice(ids)
        if self.get(f"/trackers/{object_id}/delete/").status_code != 200:
            return
        reason = f"soak delete by u{self.number}"
        answer = self.post(f"/trackers/{object_id}/delete/", {"reason": reason})
        self.check_kept("delete", answer, [reason])

    def do_revert(self, ids: list[str]) -> None:
        object_id = self.rng.choice(ids)
        entries = self.history_entries(object_id)
        if not entries:
            return
        path = f"/trackers/{object_id}/revert/{self.rng.choice(entries)}/"
        page = self.get(path)
        if page.status_code != 200:
            return
        reason = f"soak revert by u{self.number}"
        fingerprint = form_fields(page.text).get("fingerprint", "")
        answer = self.post(path, {"reason": reason, "fingerprint": fingerprint})
        self.check_kept("revert", answer, [reason])

    def do_import(self, ids: list[str]) -> None:
        self.get("/trackers/import/")
        items = [{"name": self.new_name(), "vocabulary": self.phrases()} for _ in range(2)]
        text = json.dumps(items)
        preview = self.post(
            "/trackers/import/", {"step": "preview", "text": text, "format": "auto"}
        )
        fields = form_fields(preview.text) if preview.status_code == 200 else {}
        if fields.get("step") != "run" and "payload" not in fields:
            self.check_kept("import preview", preview, [item["name"] for item in items])
            return
        run = {key: fields.get(key, "") for key in ("payload", "skipped", "total")}
        answer = self.post("/trackers/import/", {"step": "run", **run})
        self.done["import run " + str(answer.status_code)] += 1
