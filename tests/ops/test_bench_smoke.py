"""`make bench`'s machinery at tiny sizes, so it does not rot: every server of the bed starts
(our Management API with a conversation bed of 40, the dashboard twice, the comparison admin,
the static floor), every measure runs (the conversation rows and an import of 5 included) and
the table is written. No targets: a smoke run has none."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.report import HEADER

ROOT = Path(__file__).resolve().parents[2]
MEASURES = (
    "trackers list page / raw client GET of all trackers",
    "trackers list page / Django admin changelist",
    "tracker detail page / raw client GET of one tracker",
    "groups list page / Django admin changelist",
    "review queue / trackers list page",
    "quality report / trackers list page",
    "server GET of all trackers / static JSON of the same bytes",
    "upstream calls per list or detail page view (most seen)",
    "token calls after warm-up",
    "trackers list page, every cache off / raw client GET of all trackers",
    "trackers list page, every cache off / Django admin changelist",
    "search over all phrases, every cache off / list page, every cache off",
    "trackers list page right after another client changed one tracker / raw GET of all",
    "trackers list page right after another user signed in / the same page, nothing changed",
    "tracker detail right after that tracker changed / raw GET of that tracker",
    "review queue right after a change to one of its objects / raw GET of all trackers",
    "trackers list page / the same page measured again (this run's resolution)",
    "RSS of one dashboard worker after 20 mixed requests",
    "CSV export of 60 audit entries: worker RSS growth",
    "xlsx export of 60 audit entries: seconds",
    # The conversation rows (benchmarks/conversations.py), over a bed of 40 conversations.
    "a group's conversations, first page of 20 over HTTP, a quarter of 40 selected "
    "/ raw GET of one conversation",
    "a group's conversations, first page of 20 over HTTP, the account's group selecting the "
    "most / raw GET of one conversation",
    "conversations list page (first page of 50, no search) / raw GET /v1/conversations?limit=50",
    "live group count in the editor (POST /groups/check/) at 40 conversations: ms",
    "quality report's “What groups select” at 4 groups × 40 conversations: ms",
    "import of 5 conversations through the dashboard: conversations/s",
    "import of 5 conversations: dashboard worker RSS growth",
)


def test_bench_smoke_runs_every_measure(tmp_path):
    out = tmp_path / "results.md"
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--smoke", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    table = out.read_text()
    assert "| " + " | ".join(HEADER) + " |" in table and "cores" in table
    for measure in MEASURES:
        row = next((line for line in table.splitlines() if line.startswith(f"| {measure} |")), "")
        assert row, measure
        assert "not measured" not in row or "wrk" in row, row
    # The same measures print on the terminal, and the exchange counts are exact even here.
    assert "upstream calls per list or detail page view" in run.stdout
    calls = next(line for line in table.splitlines() if line.startswith("| upstream calls"))
    assert "| 1.00 |" in calls and "t_list: 1, t_detail: 1, g_list: 1, g_detail: 1" in calls
    tokens = next(line for line in table.splitlines() if line.startswith("| token calls"))
    assert "| 0.00 |" in tokens
    # The live count said what it counted; the selections section ran; the import finished.
    assert "“Selects " in table and " of 40 conversations”" in table
    assert "Groups that select no conversation: " in table
    assert "“5 of 5 submitted, 5 completed, 0 failed.”" in table
    # Each cache layer of the measured dashboard reports its hits (symbl_admin/caching).
    assert "- pages (on): hits" in table
