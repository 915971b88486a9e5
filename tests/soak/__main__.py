"""`make soak`: python -m tests.soak --ops 2000 [--seed 14]; exit 1 when a figure fails."""

from __future__ import annotations

import argparse
import os
import sys

import django


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.soak")
    parser.add_argument("--ops", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=14)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    django.setup()
    from tests.soak.runner import run_soak

    report = run_soak(ops=options.ops, seed=options.seed)
    print("\n".join(report.lines()))
    problems = report.failures()
    for problem in problems[:20]:
        print("  FAIL", problem)
    ok = not problems and report.audited_percent == 100.0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
