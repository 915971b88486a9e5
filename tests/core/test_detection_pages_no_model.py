"""The pages that show stored detections never load the model: in a fresh process, the
conversation page (highlights), the tracker page with its hits panel and the Overview's top
trackers render from a store whose detections were made elsewhere (the standalone server),
and neither the encoder nor its runtime (onnxruntime, tokenizers) is ever imported."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET
from symbl_admin.management_api import ManagementAPIClient
from symbl_admin.management_api.conversation_types import text_message
from symbl_admin.management_api.sessions import new_session
from tests.support.standalone import standalone_server

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, os, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth.models import Group
from django.test import Client
from django.contrib.auth import get_user_model
user = get_user_model().objects.create_user(username="reader", password="pw-for-tests-1")
user.groups.add(Group.objects.get(name="Analyst"))
client = Client()
client.force_login(user)
SHOWN = ("hl-exact", "hit-text", "top-trackers", 'id="tracker-hits"')  # what each page shows
statuses = {}
for path in sys.argv[1:]:
    response = client.get(path, HTTP_HX_REQUEST="true" if path.endswith("/hits/") else "")
    statuses[path] = (response.status_code, any(mark in response.text for mark in SHOWN))
from symbl_admin import embedding
print(json.dumps({"statuses": statuses, "loaded": embedding._encoder is not None,
    "runtime": "onnxruntime" in sys.modules or "tokenizers" in sys.modules}))
"""


def test_detection_pages_never_load_the_model(tmp_path):
    data = tmp_path / "api.sqlite3"
    with standalone_server(data) as url:
        session = new_session()
        client = ManagementAPIClient(url, LOCAL_APP_ID, LOCAL_APP_SECRET, session=session)
        tracker = client.trackers.create(name="Pricing", vocabulary=["price list"])
        submitted = client.conversations.process_text(
            [text_message("Send me the price list."), text_message("I want my money back.")],
            trackers=[{"name": "Refunds", "vocabulary": ["refund"]}],
            enable_all_trackers=True,
        )
        deadline = time.monotonic() + 30
        while not client.conversations.job(submitted.job_id).done:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        while client.detections.tracker_hits(tracker.id).rescoring:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        session.close()
    paths = [
        f"/conversations/{submitted.conversation_id}/",
        f"/trackers/{tracker.id}/",
        f"/trackers/{tracker.id}/hits/",
        "/",
    ]
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *paths],
        cwd=ROOT,
        env={
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "SYMBL_LOCAL_API_DATA": str(data),
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    answer = json.loads(done.stdout.splitlines()[-1])
    assert answer["statuses"] == {path: [200, True] for path in paths}
    assert (answer["loaded"], answer["runtime"]) == (False, False)
