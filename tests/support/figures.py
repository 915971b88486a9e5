"""Figures: what the reliability and security tests measured, printed at the end of the run.

A test records a figure with the `figure` fixture (tests/conftest.py):

    figure("worker death", f"the next writer waited {blocked:.3f} s (limit 2 s)")
    figure.count("permission matrix", answers=5, **{"403s audited": 2})

Both go through pytest's `record_property`, so they travel with the test's report, also
from an xdist worker to the controller. At the end, `pytest_terminal_summary` prints one
"figures" section: a text figure as it was written (with the test it came from when a topic
has several), counts summed over every test that recorded them, and the totals of the
secrets watch (tests/support/secrets_watch.py), which each worker hands back at its end.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

KEY = "figure"
COMPACT_AFTER = 4  # a topic with more text figures than this prints them on one line


class Figures:
    """The `figure` fixture: one test's way to record what it measured."""

    def __init__(self, record_property) -> None:
        self._record = record_property

    def __call__(self, topic: str, text: str) -> None:
        self._record(KEY, ["text", topic, text])

    def count(self, topic: str, **counts: int) -> None:
        self._record(KEY, ["count", topic, dict(counts)])


def collect(reports: Iterable) -> tuple[dict[str, list[tuple[str, str]]], dict[str, Counter]]:
    """({topic: [(test, text)]}, {topic: summed counts}) from the run's reports.

    A property recorded during a test is on the reports of every phase after it: each is
    taken once per test.
    """
    texts: dict[str, list[tuple[str, str]]] = defaultdict(list)
    counts: dict[str, Counter] = defaultdict(Counter)
    seen: set[tuple[str, int]] = set()
    for report in reports:
        for index, (name, value) in enumerate(getattr(report, "user_properties", ())):
            if name != KEY or (report.nodeid, index) in seen:
                continue
            seen.add((report.nodeid, index))
            kind, topic, payload = value
            if kind == "text":
                texts[topic].append((report.nodeid, payload))
            else:
                counts[topic].update(payload)
    return texts, counts


def lines(texts, counts, watch: dict | None) -> list[str]:
    """The section's lines, topics in alphabetical order."""
    out = []
    for topic in sorted(set(texts) | set(counts)):
        mine = sorted(texts.get(topic, []))
        if len(mine) > COMPACT_AFTER:  # many tests, one figure each: one line per topic
            out.append(f"{topic}: " + "; ".join(f"{_short(n)} {text}" for n, text in mine))
        for nodeid, text in mine if len(mine) <= COMPACT_AFTER else ():
            where = f" [{_short(nodeid)}]" if len(mine) > 1 else ""
            out.append(f"{topic}: {text}{where}")
        if topic in counts:
            summed = ", ".join(f"{n:,} {what}" for what, n in counts[topic].items())
            out.append(f"{topic}: {summed}")
    if watch and watch.get("tests"):
        watch = dict.fromkeys(("responses", "bytes", "logs", "leaks", "allowed"), 0) | watch
        out.append(
            "secrets watch: {tests:,} tests; {responses:,} responses ({mb:.1f} MB) and {logs:,} "
            "log records scanned; {values:,} secret values searched ({per_test:.1f} per test); "
            "{leaks} leaks, {allowed} allowed by a marker".format(
                mb=watch["bytes"] / 1e6, per_test=watch["searched"] / watch["tests"], **watch
            )
        )
    return out


def _short(nodeid: str) -> str:
    """tests/fuzz/test_trackers.py::test_create_never_fails -> trackers create_never_fails"""
    path, _, name = nodeid.partition("::")
    module = path.rsplit("/", 1)[-1].removesuffix(".py").removeprefix("test_")
    return f"{module} {name.removeprefix('test_')}" if name else module


def merge_watch(total: dict, part: dict | None) -> None:
    """Add one worker's secrets-watch totals to the controller's."""
    for key, value in (part or {}).items():
        if key == "values":
            total.setdefault("_values", set()).update(value)
        else:
            total[key] = total.get(key, 0) + value
    total["values"] = len(total.get("_values", ()))
