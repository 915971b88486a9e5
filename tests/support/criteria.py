"""The RSQL tree a builder means: what the criteria tests compare two builders by."""

from __future__ import annotations

from groups.criteria import Builder
from symbl_admin import rsql


def to_ast(builder: Builder) -> rsql.Node:
    """The RSQL tree a builder means."""
    comparisons = tuple(
        rsql.Comparison(selector=c.selector, op=c.op, values=c.values) for c in builder.conditions
    )
    if len(comparisons) == 1:
        return comparisons[0]
    return rsql.And(items=comparisons) if builder.join == "and" else rsql.Or(items=comparisons)
