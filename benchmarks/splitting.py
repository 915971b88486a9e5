"""`make bench`, tracker tester: sentence splitting stays linear in the transcript's length.

pysbd alone grows with the square of what it is handed (199,000 characters of "e.g. " took a
core for over a minute); the tester hands it bounded pieces. The figure is the time for
200,000 characters over the time for 20,000, for ordinary and for abbreviation-dense text:
linear is about 10, the target ≤ 12. Each time is the best of a few runs (the least disturbed
by the other processes on a shared machine).
"""

from __future__ import annotations

import random
import time

from benchmarks.report import Row
from symbl_admin.sentences import split_sentences

TARGET = 12.0
SMALL, LARGE = 20_000, 200_000
SENTENCES = [
    "We have a sale on this week.",
    "Mr. Smith said it is 10.5 dollars.",
    "Could you call me back after lunch?",
    "The office is closed on Friday, e.g. for the holiday.",
    "Dr. Jones arrived at 3 p.m. and left early!",
    "I'm interested, but the budget is tight this quarter.",
]


def _ordinary() -> str:
    rng = random.Random(17)
    text = ""
    while len(text) < LARGE:
        text += " ".join(rng.choice(SENTENCES) for _ in range(100)) + " "
    return text


def _best(text: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        split_sentences(text)
        times.append(time.perf_counter() - started)
    return min(times)


def rows() -> list[Row]:
    """One row per kind of text: splitting 200,000 characters / 20,000 characters."""
    found = []
    for kind, text in (("ordinary", _ordinary()), ("abbreviation-dense", "e.g. " * LARGE)):
        small, large = _best(text[:SMALL], 5), _best(text[:LARGE], 3)
        found.append(
            Row(
                f"tester, splitting {LARGE:,} / {SMALL:,} characters, {kind}",
                large / small,
                TARGET,
                detail=f"{large:.3f} s / {small:.3f} s, best of 3 and 5",
                digits=0,
            )
        )
    return found
