"""Groups domain: criteria that can never match a conversation ("agentId is johndoe and
agentId is janedoe"). One function makes the words; the quality report (review/quality.py),
the editor's live check and the import preview (groups/rules.py's check_group) all show them.
"""

from __future__ import annotations

from symbl_admin import rsql

PREFIX = "These criteria can never match a conversation: "


def _field(selector: str) -> str:
    return selector.rsplit(".", 1)[-1]


def _contradiction(node: rsql.And) -> str:
    """Why the conditions joined by `and` can never all hold, or ""."""
    equal: dict[str, str] = {}
    comparisons = [c for c in node.items if isinstance(c, rsql.Comparison)]
    for c in comparisons:
        if c.op == "==" and len(c.values) == 1:
            value = c.values[0]
            if c.selector in equal and equal[c.selector] != value:
                return f"{_field(c.selector)} cannot be both “{equal[c.selector]}” and “{value}”."
            equal[c.selector] = value
    for c in comparisons:
        value = equal.get(c.selector)
        if value is None:
            continue
        if c.op == "!=" and value in c.values:
            return f"{_field(c.selector)} cannot be “{value}” and not “{value}”."
        if c.op == "=in=" and value not in c.values:
            return f"{_field(c.selector)} is “{value}”, which is not one of {', '.join(c.values)}."
        if c.op == "=out=" and value in c.values:
            return f"{_field(c.selector)} is “{value}”, which the same criteria exclude."
    return ""


def reason(node: rsql.Node) -> str:
    """Why a criteria tree can never match, or "" when it can."""
    if isinstance(node, rsql.Comparison):
        return ""
    if isinstance(node, rsql.And):
        own = _contradiction(node)
        if own:
            return own
    reasons = [reason(item) for item in node.items]
    if isinstance(node, rsql.Or):  # an or fails only when every branch does
        return reasons[0] if all(reasons) else ""
    return next((r for r in reasons if r), "")


def never_matches(node: rsql.Node) -> str:
    """The finding's words for a tree that can never match ("" when it can): the same
    sentence on the quality report, in the editor and in the import preview."""
    why = reason(node)
    return PREFIX + why if why else ""


def never_matches_text(criteria: str) -> str:
    """never_matches for criteria text ("" when it does not parse: the grammar's error is
    shown instead)."""
    try:
        return never_matches(rsql.parse(criteria))
    except rsql.RSQLError:
        return ""
