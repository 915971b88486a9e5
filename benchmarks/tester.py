"""`make bench`, tracker tester: 800 sentences × 50 trackers × 50 phrases, cold and warm, and
the memory of the process that loaded the model, and sentence splitting's growth with the
transcript's length (benchmarks/splitting.py). Run in its own process (benchmarks/__main__
starts it), so "cold" really is: no model, no cached vectors, and the peak RSS is the tester's.
"""

from __future__ import annotations

import os
import random
import resource
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from benchmarks import splitting  # noqa: E402
from benchmarks.report import plain  # noqa: E402
from symbl_admin import embedding  # noqa: E402
from tester import scoring, vectors  # noqa: E402
from tester.transcripts import sentences  # noqa: E402

TARGETS = {"cold": 15.0, "warm": 5.0}  # seconds
MEMORY_TARGET_MB = 350.0
WORDS = [
    "price",
    "discount",
    "voicemail",
    "message",
    "call",
    "back",
    "office",
    "closed",
    "interested",
    "budget",
    "quote",
    "subscription",
    "sale",
    "promotion",
    "customer",
    "plan",
    "monthly",
    "team",
    "support",
    "contract",
    "renewal",
    "demo",
    "weather",
    "meeting",
    "agenda",
    "calendar",
    "invoice",
    "payment",
    "onboarding",
    "feature",
    "report",
    "dashboard",
]


def _text(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def _transcript(rng: random.Random) -> str:
    return "\n".join(f"Speaker {i % 2 + 1}: {_text(rng, 6, 18).capitalize()}." for i in range(800))


def main() -> int:
    rng = random.Random(13)
    trackers = [
        scoring.TrackerInput(
            id=str(t), name=f"Tracker {t}", phrases=tuple(_text(rng, 2, 7) for _ in range(50))
        )
        for t in range(50)
    ]
    first, second = _transcript(rng), _transcript(rng)

    started = time.perf_counter()
    parsed = sentences(first)
    scoring.run(sentences=parsed, trackers=trackers, threshold=scoring.DEFAULT_THRESHOLD)
    cold = time.perf_counter() - started

    vectors.TRANSCRIPTS.clear()  # warm: phrase vectors cached, a transcript never seen
    started = time.perf_counter()
    parsed = sentences(second)
    scoring.run(sentences=parsed, trackers=trackers, threshold=scoring.DEFAULT_THRESHOLD)
    warm = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    failed = False
    label = f"tester, {len(parsed)} sentences × 50 trackers × 50 phrases"
    for name, value in (("cold (model load + all vectors)", cold), ("warm (phrases cached)", warm)):
        ok = value <= TARGETS[name.split()[0]]
        failed |= not ok
        print(
            f"{label + ', ' + name:<80} {value:>8.2f} s {TARGETS[name.split()[0]]:>5.0f} s  "
            f"{'ok' if ok else 'MISSED'}"
        )
    print(f"{'tester model load alone (s)':<80} {embedding.load_seconds:>8.2f} s")
    ok = peak_mb <= MEMORY_TARGET_MB
    failed |= not ok
    print(
        f"{'tester process peak RSS, Django + model + caches (MB)':<80} {peak_mb:>8.0f} MB "
        f"{MEMORY_TARGET_MB:>4.0f} MB  {'ok' if ok else 'MISSED'}"
    )
    split_rows = splitting.rows()
    print(plain(split_rows))
    failed |= any(row.passed is False for row in split_rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
