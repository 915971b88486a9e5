"""Symbl's own Python snippets run against our standalone server: processing text, then
(with `"enableAllTrackers": True` added to its payload) the trackers detected.

The snippet is copied byte for byte from the docs (symbl-docs/async-api--overview--text--
post-text.md, the Python tab) into data/symbl-post-text-snippet.py.txt; only its host and its
token are changed here. It sends `"detectPhrases": "true"` as a string and a
`confidenceThreshold`, and prints the conversationId and jobId when the answer is 201. The
trackers-detected snippet (symbl-docs/conversation-api--api-reference--trackers.md, Python) is
in data/symbl-trackers-detected-snippet.py.txt; its host, token and conversation id are filled in.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import uuid
from pathlib import Path

from tests.local_api.conversation_support import wait_for_job

SNIPPET = Path(__file__).parent / "data" / "symbl-post-text-snippet.py.txt"


def test_symbls_python_snippet_prints_its_conversation_and_job_ids(http_api, tmp_path):
    source = SNIPPET.read_text(encoding="utf-8")
    assert source.count("https://api.symbl.ai") == 1 and source.count("'your_access_token'") == 1
    script = tmp_path / "post_text.py"
    script.write_text(
        source.replace("https://api.symbl.ai", http_api.base_url).replace(
            "'your_access_token'", repr(http_api.token)
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=False
    )
    lines = done.stdout.splitlines()
    assert re.fullmatch(r"conversationId => \d{16}", lines[0]), done.stdout + done.stderr
    assert re.fullmatch(r"jobId => [0-9a-f-]{36}", lines[1]), done.stdout
    conversation = lines[0].split(" => ")[1]
    found = http_api.get(f"/v1/conversations/{conversation}").json()
    assert found["name"] == "Business Meeting"


TRACKERS_SNIPPET = Path(__file__).parent / "data" / "symbl-trackers-detected-snippet.py.txt"


def _run(tmp_path: Path, name: str, source: str) -> str:
    script = tmp_path / name
    script.write_text(source, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_symbls_snippets_process_text_with_all_trackers_then_print_the_trackers_detected(
    http_api, tmp_path
):
    # The account's tracker, as a team would have made it before sending conversations.
    name = f"Quotation {uuid.uuid4().hex[:8]}"
    tracker = http_api.create_tracker(name, ["share the quotation", "discount"])
    post = SNIPPET.read_text(encoding="utf-8")
    flags = '    "detectPhrases": "true",\n'
    assert post.count(flags) == 1
    post = post.replace(flags, flags + '    "enableAllTrackers": True,\n')
    post = post.replace("https://api.symbl.ai", http_api.base_url)
    post = post.replace("'your_access_token'", repr(http_api.token))
    conversation, job = (
        line.split(" => ")[1] for line in _run(tmp_path, "post.py", post).splitlines()[:2]
    )
    assert wait_for_job(http_api, job)["status"] == "completed"

    source = TRACKERS_SNIPPET.read_text(encoding="utf-8")
    assert source.count("https://api.symbl.ai") == 1 and source.count("'your_access_token'") == 1
    assert source.count("'your_conversation_id'") == 1
    source = source.replace("https://api.symbl.ai", http_api.base_url)
    source = source.replace("'your_access_token'", repr(http_api.token))
    source = source.replace("'your_conversation_id'", repr(conversation))
    printed = _run(tmp_path, "trackers.py", source)
    assert printed.startswith("trackers => [")
    detected = ast.literal_eval(printed.removeprefix("trackers => ").strip())
    mine = next(t for t in detected if t["name"] == name)
    assert mine["id"] == tracker["id"]
    refs = {
        m["value"]: [(r["text"], r["offset"]) for r in m["messageRefs"]] for m in mine["matches"]
    }
    quotation = (
        "Can you also share the quotation to me on email so that I can go ahead and talk about "
        "it with my other kind of folks in the family?"
    )
    assert refs["share the quotation"] == [(quotation, quotation.index("share"))]
    assert refs["discount"][0][1] == (
        "It very excited to hear from you and the discount and look forward to talking sharply."
    ).index("discount")
