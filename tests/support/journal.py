"""The write journal's lines, as the soak and the journal tests read them."""

from __future__ import annotations

import json
import os
from typing import Any


def read_journal(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The journal's lines, oldest first (empty when the file does not exist)."""
    try:
        with open(path, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except FileNotFoundError:
        return []
