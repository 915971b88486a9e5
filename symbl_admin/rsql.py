"""RSQL for conversation-group criteria: parse, validate and serialise (a shared domain module).

The Management API stores a group's `criteria` as an RSQL expression (the syntax of
jirutka/rsql-parser). The local Management API server validates criteria with this module,
and the dashboard's criteria builder reuses it, so both sides accept exactly the same text.

Syntax (the subset the contract names, with RSQL's usual precedence: `and` binds tighter):

    criteria    := or
    or          := and ( ("," | "or") and )*
    and         := constraint ( (";" | "and") constraint )*
    constraint  := "(" or ")" | comparison
    comparison  := selector operator arguments
    operator    := "==" | "!=" | "<" | "<=" | ">" | ">=" | "=" letters "="   (=in=, =gt=, =xx=)
    arguments   := value | "(" value ("," value)* ")"
    value       := unreserved characters | '...' | "..."   (backslash escapes inside quotes)

Whitespace between tokens is ignored; `and`/`or` are keywords only where an operator is
expected, so `conversation.metadata.x==and` still compares with the value "and".

Public API:
    parse(text) -> Node                 syntax only; raises RSQLError
    validate_criteria(text) -> Node     syntax + the contract's selector rules; raises RSQLError
    selectors(node) -> list[str]        distinct selectors, in order of appearance
    to_rsql(node) -> str                canonical text; parse(to_rsql(n)) == n for parsed nodes

Positions in errors are 0-based character offsets into the text (the column, for the usual
single-line criteria).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

#: Operators the contract names. The grammar also accepts any other `=letters=` operator.
KNOWN_OPERATORS: tuple[str, ...] = (
    "==",
    "!=",
    "=in=",
    "=out=",
    "=gt=",
    "=ge=",
    "=lt=",
    "=le=",
    "<",
    "<=",
    ">",
    ">=",
)
#: Operators that take a list of values, written `=in=(a,b)`.
MULTI_VALUE_OPERATORS: frozenset[str] = frozenset({"=in=", "=out="})
#: The contract allows at most this many distinct selectors ("parameters") per criteria.
MAX_SELECTORS = 2
#: Deeper parenthesis nesting is refused before parsing (it is never meaningful, and
#: unbounded nesting would exhaust the recursion limit while building the tree).
MAX_NESTING = 32

_GRAMMAR = r"""
    ?start: or_expr
    ?or_expr: and_expr (_or and_expr)*
    ?and_expr: _constraint (_and _constraint)*
    _constraint: "(" or_expr ")" | comparison
    comparison: UNRESERVED OPERATOR arguments
    arguments: value | "(" value ("," value)* ")"
    value: UNRESERVED | DOUBLE_QUOTED | SINGLE_QUOTED

    // One "," terminal serves both OR and list separators: two would collide in the lexer.
    _or: "," | _OR_KEYWORD
    _and: ";" | _AND_KEYWORD
    _OR_KEYWORD.2: /or(?![^\s(])/
    _AND_KEYWORD.2: /and(?![^\s(])/
    OPERATOR: /=[A-Za-z]*=|!=|<=|>=|<|>/
    UNRESERVED: /[^"'();,=!~<>\s]+/
    DOUBLE_QUOTED: /"(?:[^"\\]|\\[\s\S])*"/
    SINGLE_QUOTED: /'(?:[^'\\]|\\[\s\S])*'/

    %ignore /\s+/
"""

# Plain words for the grammar's terminals, used in error messages.
_TERMINAL_WORDS = {
    "UNRESERVED": "a selector or value",
    "OPERATOR": "an operator such as == or =in=",
    "DOUBLE_QUOTED": "a quoted value",
    "SINGLE_QUOTED": "a quoted value",
    "LPAR": '"("',
    "RPAR": '")"',
    "COMMA": '","',
    "SEMICOLON": '";"',
    "_OR_KEYWORD": '"or"',
    "_AND_KEYWORD": '"and"',
    "$END": "the end of the criteria",
}

_SELECTOR_FIELD = re.compile(r"conversation\.([A-Za-z_][A-Za-z0-9_]*)")
_SELECTOR_METADATA = re.compile(r"conversation\.metadata\.([A-Za-z0-9_-]+)")
_NEEDS_QUOTES = re.compile(r"""[\s"'();,=!~<>\\]""")


class RSQLError(ValueError):
    """Criteria that cannot be accepted. `position` is the 0-based offset of the problem."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Comparison:
    """`selector op value` or `selector op (value, ...)`; values are unquoted strings."""

    selector: str
    op: str
    values: tuple[str, ...]
    # Where the comparison starts in the parsed text; not part of equality.
    position: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class And:
    """All items must hold (`;` or `and`). Parsed nodes have two or more items, none an And."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Any item must hold (`,` or `or`). Parsed nodes have two or more items, none an Or."""

    items: tuple[Node, ...]


Node = Comparison | And | Or


@cache
def _parser() -> Lark:
    return Lark(_GRAMMAR, parser="lalr", lexer="contextual", maybe_placeholders=False)


def _unquote(token: Token) -> str:
    text = str(token)
    if token.type == "UNRESERVED":
        return text
    # Inside quotes a backslash escapes the next character, whatever it is.
    return re.sub(r"\\([\s\S])", r"\1", text[1:-1])


def _flatten(cls: type[And] | type[Or], items: list[Node]) -> Node:
    flat: list[Node] = []
    for item in items:
        flat.extend(item.items if isinstance(item, cls) else (item,))
    return cls(tuple(flat))


class _ToAST(Transformer):
    @v_args(inline=True)
    def comparison(self, selector: Token, op: Token, values: tuple[str, ...]) -> Comparison:
        if len(values) > 1 and op in KNOWN_OPERATORS and op not in MULTI_VALUE_OPERATORS:
            raise RSQLError(
                f"Operator {op} at position {op.start_pos} takes one value, "
                f"but {len(values)} were given; use =in= or =out= for a list.",
                op.start_pos,
            )
        return Comparison(str(selector), str(op), values, position=selector.start_pos)

    def arguments(self, values: list[str]) -> tuple[str, ...]:
        return tuple(values)

    @v_args(inline=True)
    def value(self, token: Token) -> str:
        return _unquote(token)

    def and_expr(self, items: list[Node]) -> Node:
        return _flatten(And, items)

    def or_expr(self, items: list[Node]) -> Node:
        return _flatten(Or, items)


def _check_nesting(text: str) -> None:
    depth = 0
    quote = ""
    escaped = False
    for pos, char in enumerate(text):
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
            if depth > MAX_NESTING:
                raise RSQLError(
                    f"Parentheses are nested more than {MAX_NESTING} deep at position {pos}.",
                    pos,
                )
        elif char == ")":
            depth -= 1


def _describe_expected(expected: set[str]) -> str:
    expected = set(expected)
    words: list[str] = []
    if expected & {"DOUBLE_QUOTED", "SINGLE_QUOTED"}:
        # After an operator: a value, or a list of values.
        words.append("a value (in quotes if it has spaces or punctuation)")
        if "LPAR" in expected:
            words.append('a list such as ("a","b")')
        expected -= {"DOUBLE_QUOTED", "SINGLE_QUOTED", "UNRESERVED", "LPAR"}
    elif "UNRESERVED" in expected:
        # Where a comparison starts.
        words.append("a selector such as conversation.metadata.agentId")
        if "LPAR" in expected:
            words.append('"("')
        expected -= {"UNRESERVED", "LPAR"}
    words.extend(sorted({_TERMINAL_WORDS.get(name, name) for name in expected}))
    if not words:
        return "something else"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _syntax_error(text: str, error: UnexpectedInput) -> RSQLError:
    if isinstance(error, UnexpectedCharacters):
        pos = error.pos_in_stream
        char = text[pos]
        if char in "'\"":
            return RSQLError(f"The quoted value starting at position {pos} is never closed.", pos)
        return RSQLError(
            f"Unexpected character {char!r} at position {pos}: expected "
            f"{_describe_expected(set(error.allowed or ()))}. Quote values that contain "
            "spaces or punctuation.",
            pos,
        )
    if isinstance(error, UnexpectedToken):
        token = error.token
        if token.type == "$END":
            pos = len(text)
            return RSQLError(
                f"The criteria ends too early at position {pos}: expected "
                f"{_describe_expected(set(error.expected))}.",
                pos,
            )
        pos = token.start_pos
        hint = ""
        if token.type == "UNRESERVED" and "OPERATOR" not in error.expected:
            hint = ' Values that contain spaces must be quoted, e.g. "john doe".'
        return RSQLError(
            f"Unexpected {str(token)!r} at position {pos}: expected "
            f"{_describe_expected(set(error.expected))}.{hint}",
            pos,
        )
    if isinstance(error, UnexpectedEOF):
        pos = len(text)
        return RSQLError(
            f"The criteria ends too early at position {pos}: expected "
            f"{_describe_expected(set(error.expected))}.",
            pos,
        )
    pos = getattr(error, "pos_in_stream", None) or 0
    return RSQLError(f"The criteria could not be read at position {pos}.", pos)


def parse(text: str) -> Node:
    """Parse RSQL text into a Comparison, And or Or tree (same-kind nesting flattened).

    Raises:
        RSQLError: the text is not valid RSQL; `.position` points at the problem.
    """
    if not isinstance(text, str):
        raise RSQLError("The criteria must be a string.", 0)
    if not text.strip():
        raise RSQLError("The criteria is empty: write at least one comparison.", 0)
    _check_nesting(text)
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as error:
        raise _syntax_error(text, error) from None
    try:
        return _ToAST().transform(tree)
    except Exception as error:  # lark wraps errors raised inside the transformer
        original = getattr(error, "orig_exc", error)
        if isinstance(original, RSQLError):
            raise original from None
        raise


def selectors(node: Node) -> list[str]:
    """The distinct selectors a tree uses, in order of first appearance."""
    seen: dict[str, None] = {}
    for comparison in _comparisons(node):
        seen.setdefault(comparison.selector, None)
    return list(seen)


def _comparisons(node: Node) -> list[Comparison]:
    if isinstance(node, Comparison):
        return [node]
    found: list[Comparison] = []
    for item in node.items:
        found.extend(_comparisons(item))
    return found


def _quote(value: str) -> str:
    if value and not _NEEDS_QUOTES.search(value) and value not in ("and", "or"):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_rsql(node: Node) -> str:
    """Canonical RSQL text for a tree: `;` and `,`, no spaces, values quoted only when needed."""
    if isinstance(node, Comparison):
        values = [_quote(v) for v in node.values]
        if len(values) == 1 and node.op not in MULTI_VALUE_OPERATORS:
            arguments = values[0]
        else:
            arguments = "(" + ",".join(values) + ")"
        return f"{node.selector}{node.op}{arguments}"
    if len(node.items) == 1:
        return to_rsql(node.items[0])
    if isinstance(node, And):
        # `;` binds tighter than `,`, so an Or inside an And needs parentheses; a nested
        # And keeps them too, so the text says exactly what the tree says.
        return ";".join(
            f"({to_rsql(item)})"
            if isinstance(item, And | Or) and len(item.items) > 1
            else to_rsql(item)
            for item in node.items
        )
    return ",".join(
        f"({to_rsql(item)})" if isinstance(item, Or) and len(item.items) > 1 else to_rsql(item)
        for item in node.items
    )


def check_selector(selector: str) -> str | None:
    """Why a selector is not allowed (a sentence), or None when it is fine."""
    if selector.startswith("conversation.metadata"):
        if _SELECTOR_METADATA.fullmatch(selector):
            return None
        return (
            f"Selector {selector!r} is not allowed: a metadata selector is "
            "conversation.metadata.<key>, with a key of letters, digits, - or _."
        )
    if _SELECTOR_FIELD.fullmatch(selector):
        return None
    return (
        f"Selector {selector!r} is not allowed: use conversation.<field> or "
        "conversation.metadata.<key>."
    )


def validate_criteria(text: str) -> Node:
    """Parse criteria and apply the contract's rules: allowed selectors, at most two of them.

    Raises:
        RSQLError: unparseable text, a selector outside conversation.*, or a third selector.
    """
    node = parse(text)
    distinct: list[str] = []
    for comparison in _comparisons(node):
        problem = check_selector(comparison.selector)
        if problem:
            raise RSQLError(f"{problem} (position {comparison.position})", comparison.position)
        if comparison.selector in distinct:
            continue
        if len(distinct) == MAX_SELECTORS:
            raise RSQLError(
                f"Criteria may use at most {MAX_SELECTORS} different selectors; "
                f"{comparison.selector!r} at position {comparison.position} would be a third "
                f"(already used: {', '.join(distinct)}).",
                comparison.position,
            )
        distinct.append(comparison.selector)
    return node
