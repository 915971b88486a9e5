"""Fuzzing support: hostile strategies, a raw form POST, and the one rule every answer keeps."""

from __future__ import annotations

import itertools
from urllib.parse import quote

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from symbl_admin.contract import MAX_BODY_BYTES

FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FEW = settings(FUZZ, max_examples=6)

_SPECIAL = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\u200b\u200e\u200f\u202e\u2028\u2029\ufeff\ufffd"
_SPICE = [
    "\u05e9\u05dc\u05d5\u05dd",
    "\u0627\u0644\u0633\u0644\u0627\u0645",
    "e\u0301\u0308",
    "\U0001f600\U0001f1eb\U0001f1f7",
    "\U00010348",
    "\ud800",
    "\udfff",
    "²³",
    "٣",
    "\r\n",
    "<script>",
    "'\"&",
    "%00",
    "==",
    ";",
    ",",
    "()",
    "\\",
    "${x}",
    "conversation.metadata.",
]

#: Any code point, lone surrogates included (the raw POST below can send them).
chars = st.one_of(
    st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF),
    st.sampled_from(_SPECIAL),
)
hostile = st.one_of(
    st.text(chars, max_size=40),
    st.lists(st.one_of(st.text(chars, max_size=8), st.sampled_from(_SPICE)), max_size=6).map(
        "".join
    ),
    st.sampled_from(["", " ", "0", "-1", "9" * 5000, "1e309", "null", "[]", "{}", *_SPICE]),
)


def _huge(unit: str, delta: int) -> str:
    """A value whose UTF-8 size is MAX_BODY_BYTES + delta."""
    size = len(unit.encode())
    target = MAX_BODY_BYTES + delta
    return unit * (target // size) + "a" * (target % size)


huge = st.builds(
    _huge,
    st.sampled_from(["a", "é", "\u4e2d", "\U0001f600", "a\n"]),
    st.sampled_from([-1, 0, 1]),
)
values = st.one_of(hostile, hostile, hostile, huge)

#: Hidden fields carry JSON: damaged, wrong-shaped, and nested deeper than a parser recurses.
json_junk = st.one_of(
    hostile,
    st.sampled_from(
        [
            '{"name": 1}',
            '{"name": null, "vocabulary": "x"}',
            '[1, "a", null]',
            '"x"',
            "[" * 100_000,
            '{"a":' * 50_000,
            '[{"name": "x", "vocabulary": [[]]}]',
            '[{"name": {}}]',
            "NaN",
            '{"id": "x", "name": "x"}',
            "1" * 5000,
        ]
    ),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(chars, max_size=5),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
        ),
        max_leaves=10,
    ).map(lambda v: __import__("json").dumps(v)),
)

_marks = itertools.count()


def marker() -> str:
    """A plain token to find the typed input by in the re-rendered page."""
    return f"fzmark{next(_marks)}q"


def encode(data: dict) -> bytes:
    """A urlencoded body; lone surrogates go out as the bytes a broken client would send."""
    pairs = []
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            k = quote(str(key).encode("utf-8", "surrogatepass"), safe="")
            v = quote(str(item).encode("utf-8", "surrogatepass"), safe="")
            pairs.append(f"{k}={v}")
    return "&".join(pairs).encode()


def post(client, url: str, data: dict, *, htmx: bool = False):
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.generic(
        "POST", url, encode(data), content_type="application/x-www-form-urlencoded", **extra
    )


def assert_answered(response, *, kept: str | None = None) -> None:
    """Never a 500: a re-rendered form (200, with `kept` in it when given), a clear 400, or
    the redirect/htmx answer of a write that succeeded."""
    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code == 400:
        assert response.content.strip()
    if kept is not None and response.status_code == 200 and not response.get("HX-Location"):
        assert kept.encode() in response.content
