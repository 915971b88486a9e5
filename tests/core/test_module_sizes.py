"""Modules stay small: one job each, under 400 lines (product and tests alike)."""

from __future__ import annotations

from pathlib import Path

from tests.support.layout import PRODUCT

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (*PRODUCT, "tests", "benchmarks", "scripts")
LIMIT = 400


def test_no_python_module_is_over_400_lines():
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
    }
    assert len(sizes) > 100  # the walk found the tree
    assert {name: n for name, n in sizes.items() if n > LIMIT} == {}
