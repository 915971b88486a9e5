"""Symbl's own Python snippet for processing text runs against our standalone server.

The snippet is copied byte for byte from the docs (symbl-docs/async-api--overview--text--
post-text.md, the Python tab) into data/symbl-post-text-snippet.py.txt; only its host and its
token are changed here. It sends `"detectPhrases": "true"` as a string and a
`confidenceThreshold`, and prints the conversationId and jobId when the answer is 201.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

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
