"""The table `make bench` prints and writes to bench/results.md: figure, target, pass/fail.

A figure is judged to the digits its target is given in (the issue's table: "≤ 1.0", "≤ 120
MB"), the rounding method of ASTM E29 for conformance with a specification limit: 1.004
against "≤ 1.0" is 1.0, a pass; 1.06 is 1.1, a miss. The figure itself is shown as measured.
"""

from __future__ import annotations

import os
import platform
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class Row:
    measure: str
    value: float | None  # None: not measured in this run (the note says why)
    target: float | None  # None: a figure only (a smoke run has no targets)
    at_most: bool = True  # target is an upper bound (else a lower bound)
    detail: str = ""
    unit: str = ""
    digits: int = 1  # the target's decimals, as the issue gives it: the figure is judged so

    @property
    def passed(self) -> bool | None:
        if self.target is None or self.value is None:
            return None
        judged = round(self.value, self.digits)
        return judged <= self.target if self.at_most else judged >= self.target

    def cells(self) -> list[str]:
        value = "not measured" if self.value is None else f"{self.value:.2f}{self.unit}"
        if self.target is None:
            target = "—"
        else:
            sign = "≤" if self.at_most else "≥"
            target = f"{sign} {self.target:.{self.digits}f}{self.unit}"
        verdict = {True: "pass", False: "FAIL", None: "—"}[self.passed]
        return [self.measure, value, target, verdict, self.detail]


HEADER = ["measure", "figure", "target", "result", "measured (medians, min–max, n)"]


def machine() -> str:
    return (
        f"{os.cpu_count()} cores, {platform.machine()}, Python {sys.version.split()[0]}, "
        f"{platform.system()} {platform.release()}"
    )


def markdown(rows: list[Row], *, title: str, notes: list[str]) -> str:
    lines = [
        f"# {title}",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}.",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "---|" * len(HEADER),
    ]
    for row in rows:
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row.cells()) + " |")
    lines += ["", *notes]
    return "\n".join(lines) + "\n"


def plain(rows: list[Row]) -> str:
    widths = [max(len(r.cells()[i]) for r in rows) for i in range(4)]
    widths = [max(w, len(h)) for w, h in zip(widths, HEADER, strict=False)]
    out = ["  ".join(h.ljust(w) for h, w in zip(HEADER, widths, strict=False))]
    for row in rows:
        cells = row.cells()
        out.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=False)))
        if cells[4]:
            out.append("    " + cells[4])
    return "\n".join(out)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def wrk_row(rates: dict[str, float | None], target: float | None, seconds: int) -> Row:
    ours, admin = rates["ours"], rates["admin"]
    value = ours / admin if ours and admin else None
    detail = (
        f"list page {ours:.0f} req/s; admin changelist {admin:.0f} req/s"
        if value
        else "wrk not installed"
    )
    return Row(
        f"wrk -t2 -c8 -d{seconds}s req/s: trackers list page / admin changelist",
        value,
        target,
        at_most=False,
        detail=detail,
    )
