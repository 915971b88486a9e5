"""JSON typed or posted by a user (hidden form fields, pasted imports): parsed without ever
raising anything but ValueError.

The standard parser raises RecursionError for arrays nested a few thousand deep and a bare
ValueError (no line number) for an integer over Python's 4,300-digit limit; both are just
"not valid JSON" to the user."""

from __future__ import annotations

import json
import re
from typing import Any


class NotJSON(ValueError):
    """What the user sent is not JSON we can read; `message` says where, when known."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_SURROGATE = re.compile("[\ud800-\udfff]")


def parse(text: str) -> Any:
    """Raises: NotJSON with a message naming the line when the parser knows it. A lone
    surrogate (JSON may escape one, UTF-8 cannot carry it) reads as U+FFFD."""
    try:
        data = json.loads(text)
        return _without_surrogates(data) if "\\u" in text.lower() else data
    except json.JSONDecodeError as exc:
        raise NotJSON(f"line {exc.lineno}: {exc.msg}") from None
    except RecursionError:
        raise NotJSON("it is nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise NotJSON(str(exc).split(";")[0]) from None


def _without_surrogates(data: Any) -> Any:
    """`data` with every lone surrogate in its strings (keys too) replaced; iterative, so a
    deep document cannot overflow the stack."""
    fix = lambda v: _SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v  # noqa: E731
    root = [fix(data)]
    stack = [(root, 0)]
    while stack:
        holder, key = stack.pop()
        value = holder[key]
        if isinstance(value, list):
            for i, item in enumerate(value):
                value[i] = fix(item)
                stack.append((value, i))
        elif isinstance(value, dict):
            fixed = {fix(k): fix(v) for k, v in value.items()}
            value.clear()
            value.update(fixed)
            stack.extend((value, k) for k in value)
    return root[0]


def parse_or_none(text: str | None) -> Any:
    """The value, or None for empty or damaged text."""
    try:
        return parse(text or "null")
    except NotJSON:
        return None
