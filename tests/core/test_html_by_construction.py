"""HTML built in Python is escaped by construction: values go through format_html /
format_html_join (or a template), never an f-string or a join with escape() called by hand,
and mark_safe is only ever given a constant."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.layout import PRODUCT

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = PRODUCT  # every package of the product (an XML writer names its escape otherwise)
ESCAPES = {"escape", "conditional_escape"}


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _escapes(node: ast.AST) -> bool:
    """A call of Django's escape() or conditional_escape() (not re.escape)."""
    if not (isinstance(node, ast.Call) and _name(node.func) in ESCAPES):
        return False
    return not (isinstance(node.func, ast.Attribute) and _name(node.func.value) == "re")


def _modules():
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            yield str(path.relative_to(ROOT)), ast.parse(path.read_text(encoding="utf-8"))


def test_mark_safe_is_given_only_constants():
    found = [
        f"{name}:{node.lineno}"
        for name, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and _name(node.func) == "mark_safe"
        and not all(isinstance(arg, ast.Constant) for arg in node.args)
    ]
    assert len(list(_modules())) > 50  # the walk found the tree
    assert found == []


def test_no_value_is_escaped_by_hand_into_a_string():
    """An escape() inside an f-string, a join or a concatenation is markup by hand."""
    found = []
    for name, tree in _modules():
        for node in ast.walk(tree):
            inside = isinstance(node, ast.JoinedStr | ast.BinOp) or (
                isinstance(node, ast.Call) and _name(node.func) == "join"
            )
            if not inside:
                continue
            found += [f"{name}:{sub.lineno}" for sub in ast.walk(node) if _escapes(sub)]
    assert found == []
