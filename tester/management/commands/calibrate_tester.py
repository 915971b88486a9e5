"""`manage.py calibrate_tester`: precision and recall of the tester per threshold on the
labelled set, for exact, contextual and no match, and the default threshold they call for."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from symbl_admin.embedding import ModelUnavailable
from tester import calibration, scoring

SHOWN = ("contextual", "all")  # per threshold; every kind at the chosen one


class Command(BaseCommand):
    help = (
        "Print the tester's precision and recall per threshold (exact, contextual, none) "
        "and the chosen default."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data",
            type=Path,
            default=calibration.LABELLED_SET,
            help="The labelled set (JSON, see tests/tester/calibration.json).",
        )

    def handle(self, *args, data: Path, **options):
        try:
            steps, chosen = calibration.evaluate(scoring.run, data)
        except ModelUnavailable as error:
            raise CommandError(f"The model could not be loaded: {error}") from error
        write = self.stdout.write
        write(f"{'':>9} " + " ".join(f"{kind + ' precision/recall':>28}" for kind in SHOWN))
        write(
            f"{'threshold':>9} "
            + " ".join(f"{'p':>6} {'r':>6} {'tp':>4} {'fp':>4} {'fn':>4}" for _ in SHOWN)
        )
        for step in steps:
            cells = []
            for kind in SHOWN:
                p = getattr(step, kind)
                cells.append(f"{p.precision:>6.3f} {p.recall:>6.3f} {p.tp:>4} {p.fp:>4} {p.fn:>4}")
            mark = "  <- chosen" if step is chosen else ""
            write(f"{step.threshold:>9.2f} " + " ".join(cells) + mark)
        write(f"at the chosen default {chosen.threshold:.2f}:")
        for kind in calibration.KINDS:
            p = getattr(chosen, kind)
            write(
                f"  {kind:<10} precision {p.precision:.3f}  recall {p.recall:.3f}  "
                f"(tp {p.tp}, fp {p.fp}, fn {p.fn})"
            )
        c = chosen.contextual
        write(
            f"chosen default: {chosen.threshold:.2f} (contextual precision {c.precision:.3f}, "
            f"recall {c.recall:.3f}; target precision {calibration.TARGET_PRECISION})"
        )
        write(f"in use now: scoring.DEFAULT_THRESHOLD = {scoring.DEFAULT_THRESHOLD:.2f}")
        if abs(chosen.threshold - scoring.DEFAULT_THRESHOLD) > 1e-9:
            write(
                "To adopt the chosen default, set DEFAULT_THRESHOLD in symbl_admin/matching.py "
                f"to {chosen.threshold:.2f}."
            )
