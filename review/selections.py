"""Review quality layer: findings about what groups select, over the account's
conversations (the rest of the report, made from the criteria alone, is quality.py).

Groups that select no conversation, and groups that select exactly the same conversations,
compared by the sets of conversation ids over all time. One call per group to our
/v1/x/conversations/ids extension (ids only: at 10,000 conversations a quarter-selecting
group's ids take about 16 ms, where its whole conversations through of_group would be several
times the bytes). Bounded: skipped, and said, above MAX_CONVERSATIONS; hidden, and said,
against a server without the extension. Not kept: conversations change without any group
changing, and at 500 groups × 10,000 conversations the check takes about 3 s, so the report
shows these findings in a section loaded apart (selection_views.py), never kept.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from symbl_admin.management_api.errors import ExtensionNotSupported, NotFound, ValidationFailed

from .quality import Finding, names

MAX_CONVERSATIONS = 20_000
NOT_OFFERED = (
    "What groups select is not checked: this Management API server does not offer "
    "conversations or our ids extension (/v1/x)."
)


@dataclass(frozen=True)
class SelectionFindings:
    findings: tuple[Finding, ...] = ()
    note: str = ""  # why the check was skipped or hidden ("" when it ran)


def _done(findings: list[Finding], note: str = "") -> SelectionFindings:
    return SelectionFindings(tuple(findings), note)


def selection_findings(*, client, groups) -> SelectionFindings:
    """Groups selecting nothing, and groups selecting the same conversations.

    Raises: ManagementAPIError other than a missing extension or conversation API."""
    try:
        total = client.conversations.count_selected("")
        if total == 0:
            return _done([], "What groups select is not checked: there are no conversations yet.")
        if total > MAX_CONVERSATIONS:
            return _done(
                [],
                f"What groups select is not checked: the account has {total:,} conversations, "
                f"more than the {MAX_CONVERSATIONS:,} this report compares.",
            )
        selected: dict[str, frozenset[str]] = {}
        for group in groups:
            try:
                found = client.conversations.selected_ids(group.criteria, limit=65536)
            except ValidationFailed:
                continue  # criteria the server cannot evaluate: the editor says why
            selected[group.id] = frozenset(found.ids)
    except (ExtensionNotSupported, NotFound):
        return _done([], NOT_OFFERED)
    findings = []
    same: dict[frozenset[str], list] = defaultdict(list)
    for group in groups:
        ids = selected.get(group.id)
        if ids is None:
            continue
        if not ids:
            message = "Selects no conversation (over all time)."
            findings.append(Finding("selects_none", "group", group.id, group.name, message))
        else:
            same[ids].append(group)
    for ids, bucket in same.items():
        for group in bucket if len(bucket) > 1 else ():
            others = [g for g in bucket if g.id != group.id]
            noun = "conversation" if len(ids) == 1 else "conversations"
            message = f"Selects exactly the same {len(ids):,} {noun} as {names(others)}."
            findings.append(Finding("same_selection", "group", group.id, group.name, message))
    return _done(findings)
