"""`manage.py calibrate_tester`: precision and recall of the tester per threshold on the
labelled set, and the default threshold they call for."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tester import calibration, scoring
from tester.embedding import ModelUnavailable


class Command(BaseCommand):
    help = "Print the tester's precision and recall per threshold and the chosen default."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data",
            type=Path,
            default=calibration.LABELLED_SET,
            help="The labelled set (JSON, see tests/tester/calibration.json).",
        )

    def handle(self, *args, data: Path, **options):
        try:
            points, chosen = calibration.evaluate(scoring.run, data)
        except ModelUnavailable as error:
            raise CommandError(f"The model could not be loaded: {error}") from error
        write = self.stdout.write
        write(f"{'threshold':>9} {'precision':>9} {'recall':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
        for p in points:
            mark = "  <- chosen" if p is chosen else ""
            write(
                f"{p.threshold:>9.2f} {p.precision:>9.3f} {p.recall:>6.3f} "
                f"{p.tp:>4} {p.fp:>4} {p.fn:>4}{mark}"
            )
        write(
            f"chosen default: {chosen.threshold:.2f} (precision {chosen.precision:.3f}, "
            f"recall {chosen.recall:.3f}; target precision {calibration.TARGET_PRECISION})"
        )
        write(f"in use now: scoring.DEFAULT_THRESHOLD = {scoring.DEFAULT_THRESHOLD:.2f}")
        if abs(chosen.threshold - scoring.DEFAULT_THRESHOLD) > 1e-9:
            write(
                "To adopt the chosen default, set DEFAULT_THRESHOLD in tester/scoring.py "
                f"to {chosen.threshold:.2f}."
            )
