"""JSON typed or posted by a user (hidden form fields, pasted imports): parsed without ever
raising anything but ValueError.

The standard parser raises RecursionError for arrays nested a few thousand deep and a bare
ValueError (no line number) for an integer over Python's 4,300-digit limit; both are just
"not valid JSON" to the user."""

from __future__ import annotations

import json
from typing import Any


class NotJSON(ValueError):
    """What the user sent is not JSON we can read; `message` says where, when known."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse(text: str) -> Any:
    """Raises: NotJSON with a message naming the line when the parser knows it."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotJSON(f"line {exc.lineno}: {exc.msg}") from None
    except RecursionError:
        raise NotJSON("it is nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise NotJSON(str(exc).split(";")[0]) from None


def parse_or_none(text: str | None) -> Any:
    """The value, or None for empty or damaged text."""
    try:
        return parse(text or "null")
    except NotJSON:
        return None
