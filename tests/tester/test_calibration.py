"""Calibration: the labelled set in calibration.json against the demo trackers."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from symbl_admin import matching
from tester import calibration, scoring

HERE = Path(__file__).parent


ROWS = json.loads((HERE / "calibration.json").read_text())["sentences"]


def test_the_labelled_set_is_big_enough_and_names_demo_trackers():
    names = {t.name for t in calibration.load_demo_trackers()}
    assert len(ROWS) >= 300
    assert {name for row in ROWS for name in row["trackers"]} == names
    assert sum(1 for row in ROWS if not row["trackers"]) >= 60  # small talk


def test_it_has_100_paraphrases_and_100_long_sentences_with_a_tracker():
    paraphrases = [row for row in ROWS if set(row["trackers"]) - set(row["exact"])]
    long = [row for row in ROWS if row["trackers"] and len(row["text"].split()) >= 20]
    assert len(paraphrases) >= 100
    assert len(long) >= 100


def test_the_exact_labels_are_what_the_engine_finds_word_for_word():
    trackers = calibration.load_demo_trackers()
    found = matching.exact_matches([row["text"] for row in ROWS], trackers)
    for row, matches in zip(ROWS, found, strict=True):
        assert sorted(trackers[t].name for t in matches) == row["exact"], row["text"]


@pytest.fixture(scope="module")
def evaluated(encoder):
    return calibration.evaluate(scoring.run)


def test_contextual_precision_is_at_least_0_9_at_the_default_threshold(evaluated):
    steps, _ = evaluated
    at_default = next(s for s in steps if s.threshold == scoring.DEFAULT_THRESHOLD)
    assert at_default.contextual.precision >= 0.9
    assert at_default.exact.precision == at_default.exact.recall == 1.0


def test_the_default_is_the_threshold_calibration_chooses(evaluated):
    _, chosen = evaluated
    assert chosen.threshold == scoring.DEFAULT_THRESHOLD


def test_the_figures_in_the_readme_and_the_engine_are_the_calibrated_ones(evaluated):
    _, chosen = evaluated
    c = chosen.contextual
    figures = (
        f"{chosen.threshold:.2f} (contextual precision {c.precision:.3f}, recall {c.recall:.3f}"
    )
    readme = (HERE.parent.parent / "README.md").read_text()
    assert f"**{figures}" in readme
    assert figures in Path(matching.__file__).read_text()


def test_choose_takes_the_lowest_threshold_that_stays_precise():
    points = [
        calibration.Point(0.3, tp=9, fp=9, fn=0),  # 0.5
        calibration.Point(0.4, tp=9, fp=0, fn=1),  # 1.0, a lucky dip below the next step
        calibration.Point(0.5, tp=8, fp=2, fn=2),  # 0.8
        calibration.Point(0.6, tp=7, fp=0, fn=3),  # 1.0
        calibration.Point(0.7, tp=5, fp=0, fn=5),  # 1.0
    ]
    assert calibration.choose(points, target=0.9).threshold == 0.6


def test_the_command_prints_each_kind_and_the_choice(encoder, capsys):
    call_command("calibrate_tester")
    out = capsys.readouterr().out
    for kind in ("exact", "contextual", "none"):
        assert f"  {kind:<10} precision " in out
    assert f"chosen default: {scoring.DEFAULT_THRESHOLD:.2f}" in out
