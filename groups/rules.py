"""Groups domain rules: the contract's field rules, mirrored before sending (the character
rule comes from symbl_admin/contract.py and the RSQL grammar is symbl_admin/rsql.py, both
shared with the server)."""

from __future__ import annotations

from dataclasses import dataclass, field

from symbl_admin import rsql
from symbl_admin.contract import (
    MAX_CRITERIA,
    MAX_GROUP_DESCRIPTION,
    MAX_GROUP_NAME,
    disallowed,
    group_name_char_allowed,
)

from .contradictions import never_matches_text

__all__ = ["MAX_CRITERIA", "MAX_GROUP_DESCRIPTION", "MAX_GROUP_NAME", "GroupCheck", "check_group"]


@dataclass
class GroupCheck:
    name_errors: list[str] = field(default_factory=list)
    description_errors: list[str] = field(default_factory=list)
    criteria_errors: list[str] = field(default_factory=list)
    criteria_position: int | None = None
    # Valid criteria that can never match (groups/contradictions.py): said, not refused.
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.name_errors or self.description_errors or self.criteria_errors)


def check_name(name: str) -> list[str]:
    if not name.strip():
        return ["Give the group a name."]
    errors = []
    if len(name) > MAX_GROUP_NAME:
        errors.append(f"Use at most {MAX_GROUP_NAME} characters ({len(name)} now).")
    bad = disallowed(name, group_name_char_allowed)
    if bad:
        shown = ", ".join(f"“{c}”" for c in bad)
        errors.append(f'Remove {shown}: only letters, digits, spaces and - _ " are allowed.')
    return errors


def check_group(name: str, description: str, criteria: str) -> GroupCheck:
    """Check a group against the contract's rules (the same grammar as the server)."""
    result = GroupCheck(name_errors=check_name(name))
    if len(description) > MAX_GROUP_DESCRIPTION:
        result.description_errors.append(
            f"Use at most {MAX_GROUP_DESCRIPTION} characters ({len(description)} now)."
        )
    if not criteria.strip():
        result.criteria_errors.append("Say which conversations belong to the group.")
    elif len(criteria) > MAX_CRITERIA:  # judged before it is parsed: a megabyte parses slowly
        result.criteria_errors.append(
            f"Criteria can be at most {MAX_CRITERIA} characters ({len(criteria)} now)."
        )
    else:
        try:
            rsql.validate_criteria(criteria)
        except rsql.RSQLError as exc:
            result.criteria_errors.append(exc.message)
            result.criteria_position = exc.position
        else:
            never = never_matches_text(criteria)
            if never:
                result.warnings.append(never)
    return result
