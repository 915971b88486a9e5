"""Calibration: the labelled set in calibration.json against the demo trackers."""

import json
from pathlib import Path

from django.core.management import call_command

from tester import calibration, scoring

HERE = Path(__file__).parent


def test_the_labelled_set_is_big_enough_and_names_demo_trackers():
    rows = json.loads((HERE / "calibration.json").read_text())["sentences"]
    names = {t.name for t in calibration.load_demo_trackers()}
    assert len(rows) >= 60
    assert {name for row in rows for name in row["trackers"]} == names
    assert sum(1 for row in rows if not row["trackers"]) >= 15


def test_precision_is_at_least_0_9_at_the_default_threshold(encoder):
    points, _ = calibration.evaluate(scoring.run)
    at_default = next(p for p in points if p.threshold == scoring.DEFAULT_THRESHOLD)
    assert at_default.precision >= 0.9


def test_the_default_is_the_threshold_calibration_chooses(encoder):
    _, chosen = calibration.evaluate(scoring.run)
    assert chosen.threshold == scoring.DEFAULT_THRESHOLD


def test_choose_takes_the_lowest_threshold_that_stays_precise():
    points = [
        calibration.Point(0.3, tp=9, fp=9, fn=0),  # 0.5
        calibration.Point(0.4, tp=9, fp=0, fn=1),  # 1.0, a lucky dip below the next step
        calibration.Point(0.5, tp=8, fp=2, fn=2),  # 0.8
        calibration.Point(0.6, tp=7, fp=0, fn=3),  # 1.0
        calibration.Point(0.7, tp=5, fp=0, fn=5),  # 1.0
    ]
    assert calibration.choose(points, target=0.9).threshold == 0.6


def test_the_command_prints_the_curve_and_the_choice(encoder, capsys):
    call_command("calibrate_tester")
    out = capsys.readouterr().out
    assert "precision" in out
    assert f"chosen default: {scoring.DEFAULT_THRESHOLD:.2f}" in out
