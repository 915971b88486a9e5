"""Groups domain: the criteria builder in plain words, over the shared RSQL grammar.

A builder is a list of conditions (field, operator in words, values) joined by "all of" (and)
or "any of" (or). It expresses a single comparison or a flat and/or of comparisons on
`conversation.<field>` / `conversation.metadata.<key>`; anything else (nesting, mixed and/or)
stays in text mode, so opening and saving criteria never changes their meaning.
Validation always goes through symbl_admin.rsql, the grammar our Management API server uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from symbl_admin import rsql
from symbl_admin.caching import memo
from symbl_admin.contract import MAX_CRITERIA

CONVERSATION_FIELDS = ("id", "type", "name", "startTime", "endTime")
METADATA_PREFIX = "conversation.metadata."

# Builder operators, in the order the select shows them.
OPERATORS: tuple[tuple[str, str], ...] = (
    ("==", "is"),
    ("!=", "is not"),
    ("=in=", "is one of"),
    ("=out=", "is not one of"),
    ("=gt=", "greater than"),
    ("=ge=", "at least"),
    ("=lt=", "less than"),
    ("=le=", "at most"),
)
OPERATOR_WORDS = dict(OPERATORS)
# Symbolic spellings mean the same as the word operators; the builder writes the words.
ALIASES = {"<": "=lt=", "<=": "=le=", ">": "=gt=", ">=": "=ge="}
MULTI = rsql.MULTI_VALUE_OPERATORS
_KEY = re.compile(r"[A-Za-z0-9_-]+")
_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class BuilderError(ValueError):
    """A condition the builder cannot turn into criteria; `row` is its 0-based index."""

    def __init__(self, message: str, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row


@dataclass(frozen=True)
class Condition:
    kind: str  # "metadata" or "conversation"
    key: str  # the metadata key or the conversation field
    op: str  # an RSQL operator from OPERATORS
    values: tuple[str, ...]

    @property
    def selector(self) -> str:
        return (
            f"{METADATA_PREFIX}{self.key}"
            if self.kind == "metadata"
            else f"conversation.{self.key}"
        )

    @property
    def value_text(self) -> str:
        return ", ".join(self.values)


@dataclass(frozen=True)
class Builder:
    join: str  # "and" or "or"
    conditions: tuple[Condition, ...]


def condition_from_input(kind: str, key: str, op: str, value: str, row: int) -> Condition:
    """One builder row from form input. Raises: BuilderError naming the row."""
    key = key.strip()
    number = row + 1
    if key.startswith(METADATA_PREFIX):
        kind, key = "metadata", key[len(METADATA_PREFIX) :]
    elif key.startswith("conversation."):
        kind, key = "conversation", key[len("conversation.") :]
    if not key:
        raise BuilderError(f"Condition {number}: choose a field.", row)
    if kind == "metadata" and not _KEY.fullmatch(key):
        raise BuilderError(
            f"Condition {number}: a metadata key uses only letters, digits, - and _ (“{key}”).",
            row,
        )
    if kind == "conversation" and key not in CONVERSATION_FIELDS:
        raise BuilderError(
            f"Condition {number}: “{key}” is not a conversation field "
            f"({', '.join(CONVERSATION_FIELDS)}).",
            row,
        )
    if op not in OPERATOR_WORDS:
        raise BuilderError(f"Condition {number}: choose how to compare.", row)
    if op in MULTI:
        values = tuple(v.strip() for v in value.split(",") if v.strip())
    else:
        values = (value.strip(),) if value.strip() else ()
    if not values:
        raise BuilderError(f"Condition {number}: give a value to compare with.", row)
    return Condition(kind=kind, key=key, op=op, values=values)


def to_text(builder: Builder) -> str:
    """Criteria text for a builder, written with the readable `and` / `or` keywords."""
    joiner = " and " if builder.join == "and" else " or "
    parts = [
        rsql.to_rsql(rsql.Comparison(selector=c.selector, op=c.op, values=c.values))
        for c in builder.conditions
    ]
    return joiner.join(parts)


def check_builder(builder: Builder) -> str:
    """The builder's criteria text, validated by the server's grammar and rules.

    Raises: BuilderError (no condition, or a rule such as a third parameter)."""
    if not builder.conditions:
        raise BuilderError("Add at least one condition.")
    distinct: list[str] = []
    for index, condition in enumerate(builder.conditions):
        if condition.selector not in distinct:
            if len(distinct) == rsql.MAX_SELECTORS:
                raise BuilderError(
                    f"Condition {index + 1}: a group can use at most {rsql.MAX_SELECTORS} "
                    f"different fields (already {' and '.join(_label(s) for s in distinct)}). "
                    "Use one of those, or remove a condition.",
                    index,
                )
            distinct.append(condition.selector)
    text = to_text(builder)
    if len(text) > MAX_CRITERIA:
        raise BuilderError(
            f"Together the conditions are {len(text)} characters; criteria can be at most "
            f"{MAX_CRITERIA}. Shorten the values."
        )
    try:
        rsql.validate_criteria(text)
    except rsql.RSQLError as exc:
        raise BuilderError(exc.message) from None
    return text


def _label(selector: str) -> str:
    if selector.startswith(METADATA_PREFIX):
        return selector[len(METADATA_PREFIX) :]
    return selector.removeprefix("conversation.")


def _condition(node: rsql.Comparison) -> Condition | None:
    op = ALIASES.get(node.op, node.op)
    if op not in OPERATOR_WORDS:
        return None
    if node.selector.startswith(METADATA_PREFIX):
        kind, key = "metadata", node.selector[len(METADATA_PREFIX) :]
        if not _KEY.fullmatch(key):
            return None
    elif node.selector.startswith("conversation."):
        kind, key = "conversation", node.selector[len("conversation.") :]
        if key not in CONVERSATION_FIELDS:
            return None
    else:
        return None
    values = node.values
    if not values or any(v != v.strip() or not v for v in values):
        return None  # the builder trims values: it could not keep these exactly
    if op in MULTI and any("," in v for v in values):
        return None  # the builder splits "is one of" values on commas
    if op not in MULTI and len(values) != 1:
        return None
    return Condition(kind=kind, key=key, op=op, values=tuple(values))


def from_ast(node: rsql.Node) -> Builder | None:
    """The builder for a tree, or None when the builder cannot express it exactly."""
    if isinstance(node, rsql.Comparison):
        condition = _condition(node)
        return Builder(join="and", conditions=(condition,)) if condition else None
    join = "and" if isinstance(node, rsql.And) else "or"
    conditions = []
    for item in node.items:
        if not isinstance(item, rsql.Comparison):
            return None
        condition = _condition(item)
        if condition is None:
            return None
        conditions.append(condition)
    return Builder(join=join, conditions=tuple(conditions))


def from_text(text: str) -> Builder | None:
    """The builder for criteria text, or None (unparseable, not expressible, too long)."""
    if len(text) > MAX_CRITERIA:
        return None
    try:
        return from_ast(rsql.parse(text))
    except rsql.RSQLError:
        return None


def normalized(node: rsql.Node) -> rsql.Node:
    """The tree with symbolic operators written as words (`<` → `=lt=`): same meaning."""
    if isinstance(node, rsql.Comparison):
        return rsql.Comparison(
            selector=node.selector, op=ALIASES.get(node.op, node.op), values=node.values
        )
    items = tuple(normalized(item) for item in node.items)
    return type(node)(items=items)


@memo(
    "criteria-words",
    size=4096,
    saves="criteria in words, for a list's rows (50) or a search (500)",
    miss="parsing the criteria and writing them in words: about 50 µs",
)
def describe(text: str) -> str:
    """Criteria in words: "agentId is johndoe and customerId is 88338833". Falls back to the
    text itself when it does not parse (or is over the limit: a stored megabyte is not parsed
    again for every list)."""
    if len(text) > MAX_CRITERIA:
        return text
    try:
        node = rsql.parse(text)
    except rsql.RSQLError:
        return text
    return _describe(node, top=True)


def _describe(node: rsql.Node, *, top: bool = False) -> str:
    if isinstance(node, rsql.Comparison):
        op = ALIASES.get(node.op, node.op)
        words = OPERATOR_WORDS.get(op, op.strip("="))
        field = _label(node.selector)
        if len(node.values) > 1 or op in MULTI:
            return f"{field} {words} {', '.join(node.values)}"
        return f"{field} {words} {node.values[0]}"
    joiner = " and " if isinstance(node, rsql.And) else " or "
    text = joiner.join(_describe(item) for item in node.items)
    return text if top else f"({text})"


def metadata_keys(criteria_texts) -> list[str]:
    """Metadata keys used in existing criteria, for the builder's suggestions."""
    keys: set[str] = set()
    for text in criteria_texts:
        try:
            node = rsql.parse(text)
        except rsql.RSQLError:
            continue
        for selector in rsql.selectors(node):
            if selector.startswith(METADATA_PREFIX):
                keys.add(selector[len(METADATA_PREFIX) :])
    return sorted(keys, key=str.casefold)
