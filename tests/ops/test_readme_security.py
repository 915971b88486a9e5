"""README's "Security" section names, for each protection, the test that proves it: every
file, folder and test function it names exists."""

from __future__ import annotations

import re

from .checkout import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("\n## Security\n", 1)[1].split("\n## ", 1)[0]
NAMED = re.findall(r"`(tests/[\w/.]+?)(?:::(\w+))?`", SECTION)


def test_the_section_names_a_test_for_every_protection():
    rows = [line for line in SECTION.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) > 10
    assert all("`tests/" in row.rsplit("|", 2)[-2] for row in rows[1:]), rows


def test_every_named_test_exists():
    missing = []
    for path, name in NAMED:
        target = ROOT / path
        if not target.exists():
            missing.append(path)
        elif name and not re.search(rf"^def {name}\(", target.read_text(), re.M):
            missing.append(f"{path}::{name}")
    assert len(NAMED) > 15
    assert missing == []
