"""Tester layer: precision and recall of the matcher on a labelled set, per threshold and
per kind of match.

Counted per (sentence, tracker) pair, separately for each kind:
- exact: a tracker catching a sentence exactly is a true positive when it is labelled with
  it, else a false positive; a pair labelled exact (the sentence contains one of the
  tracker's phrases word for word) that is not caught exactly is a false negative.
- contextual: the same for contextual catches; a labelled paraphrase pair that is not caught
  is a false negative.
- none: per sentence; caught by no tracker is a true positive when labelled with none, a
  false positive when labelled with some; a sentence labelled none that something catches
  is a false negative.
- all: every catch, as one.
The default threshold is the lowest one whose *contextual* precision is at least
TARGET_PRECISION there and at every higher step (so a lucky dip does not set it), which
keeps the most contextual recall; exact matches score 1.00 and are caught at any threshold.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from .scoring import Result, TrackerInput
from .transcripts import Sentence

TARGET_PRECISION = 0.9
KINDS = ("exact", "contextual", "none", "all")
GRID = tuple(round(0.20 + 0.01 * i, 2) for i in range(61))  # 0.20 … 0.80

LABELLED_SET = Path(settings.BASE_DIR) / "tests" / "tester" / "calibration.json"
DEMO_TRACKERS = Path(settings.BASE_DIR) / "local_api" / "seed_data.json"


@dataclass(frozen=True)
class Point:
    threshold: float
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass(frozen=True)
class Labelled:
    text: str
    trackers: frozenset[str]
    exact: frozenset[str]  # those of `trackers` one of whose phrases it contains word for word


@dataclass(frozen=True)
class Step:
    """Every kind's counts at one threshold."""

    threshold: float
    exact: Point
    contextual: Point
    none: Point
    all: Point


def load_labelled(path: Path = LABELLED_SET) -> list[Labelled]:
    rows = json.loads(path.read_text(encoding="utf-8"))["sentences"]
    return [
        Labelled(row["text"], frozenset(row["trackers"]), frozenset(row.get("exact", ())))
        for row in rows
    ]


def load_demo_trackers(path: Path = DEMO_TRACKERS) -> list[TrackerInput]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    rows = rows["trackers"] if isinstance(rows, dict) else rows
    return [
        TrackerInput(
            id=str(i),
            name=row["name"],
            phrases=tuple(row["vocabulary"]),
            ignored=tuple(row.get("excludeVocabulary", ())),
        )
        for i, row in enumerate(rows)
    ]


def _step(result: Result, labelled: Sequence[Labelled], threshold: float) -> Step:
    counts = {kind: [0, 0, 0] for kind in KINDS}  # tp, fp, fn
    for sentence, label in zip(result.sentences, labelled, strict=True):
        caught = sentence.caught_by(threshold)
        exact = {m.tracker.name for m in caught if m.exact}
        contextual = {m.tracker.name for m in caught if not m.exact}
        got = exact | contextual
        for kind, found, wanted in (
            ("exact", exact, label.exact),
            ("contextual", contextual, label.trackers - label.exact),
            ("all", got, label.trackers),
        ):
            counts[kind][0] += len(found & label.trackers)
            counts[kind][1] += len(found - label.trackers)
            counts[kind][2] += len(wanted - found)
        none = counts["none"]
        if not got:
            none[0 if not label.trackers else 1] += 1
        elif not label.trackers:
            none[2] += 1
    points = {kind: Point(threshold, *counts[kind]) for kind in KINDS}
    return Step(threshold, **points)


def curve(result: Result, labelled: Sequence[Labelled], grid: Sequence[float] = GRID) -> list[Step]:
    """Each kind's precision and recall at each threshold of `grid` (the matches reused)."""
    return [_step(result, labelled, threshold) for threshold in grid]


def choose(points: Sequence[Point], target: float = TARGET_PRECISION) -> Point:
    """The lowest threshold with precision ≥ target there and at every higher step."""
    chosen = points[-1]
    for point in reversed(points):
        if point.precision < target:
            break
        chosen = point
    return chosen


def evaluate(run, path: Path = LABELLED_SET) -> tuple[list[Step], Step]:
    """(curve, chosen step) for the labelled set against the demo trackers, the threshold
    chosen on contextual precision; `run` is scoring.run (or a stand-in)."""
    labelled = load_labelled(path)
    sentences = [Sentence(index=i, text=row.text) for i, row in enumerate(labelled)]
    result = run(sentences=sentences, trackers=load_demo_trackers(), threshold=GRID[0])
    steps = curve(result, labelled)
    chosen = choose([step.contextual for step in steps])
    return steps, next(step for step in steps if step.threshold == chosen.threshold)
