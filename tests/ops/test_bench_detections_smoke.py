"""`make bench`'s tracker detection rows (benchmarks/detections.py) at the smoke size, so they
do not rot: the kept bed is found or built (a tiny one, seconds), the server and a dashboard
start, every row is measured, and the model check sees what it must: no page of stored
detections loaded the model, while its control saw the server's worker load it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROWS = (
    "embedding throughput (smoke bed's sentences, 8-20 words): messages/s",
    "a tracker's phrases changed → all its detections on 30 messages current: s",
    "impact preview of a draft tracker across stored conversations: s",
    "conversation page (the one with most detections) / raw GET of its messages",
    "stored vectors / their float32 size",
    "memory holding a rescore batch's vectors while scored / their stored bytes",
    "pages showing stored detections that loaded the model (processes)",
)


def test_the_detection_rows_run_at_the_smoke_size(tmp_path):
    env = {**os.environ, "BENCH_CACHE_DIR": str(tmp_path / "cache"), "LOG_LEVEL": "WARNING"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.detections", "--size", "smoke"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    for row in ROWS:
        assert row in done.stdout, row
    model_row = next(line for line in done.stdout.splitlines() if ROWS[-1] in line)
    assert model_row.split()[-3] == "0.00", model_row  # no process loaded it
    assert "(the control): yes" in done.stdout
