"""Roles are Django groups (called roles wherever we show them: "groups" are conversation
groups here); this module is the one place that says what each may do."""

from __future__ import annotations

# Codenames of the dashboard's own permissions (app label "accounts"). Trackers and groups are
# not ORM models, so their permissions are declared on the table-less DashboardPermission model.
PERMISSIONS: list[tuple[str, str]] = [
    ("view_trackers", "Can view trackers"),
    ("add_trackers", "Can create trackers"),
    ("change_trackers", "Can edit trackers"),
    ("delete_trackers", "Can delete trackers"),
    ("import_trackers", "Can bulk import trackers"),
    ("revert_trackers", "Can revert and restore trackers from history"),
    ("view_groups", "Can view conversation groups"),
    ("add_groups", "Can create conversation groups"),
    ("change_groups", "Can edit conversation groups"),
    ("delete_groups", "Can delete conversation groups"),
    ("import_groups", "Can bulk create conversation groups"),
    ("revert_groups", "Can revert and restore conversation groups from history"),
    ("view_audit", "Can view the audit log"),
    ("export_audit", "Can export the audit log"),
    ("view_reviews", "Can see the review queue"),
    ("approve_reviews", "Can approve changes or request changes"),
    ("view_quality", "Can see the quality report"),
    ("manage_users", "Can manage users and their roles"),
    # Conversations (issue 24): transcripts are personal data, so reading messages is its own
    # permission; an auditor sees a conversation's metadata, never what was said.
    ("view_conversations", "Can view conversations and their metadata"),
    ("read_messages", "Can read conversation transcripts"),
    ("change_conversations", "Can edit conversation metadata"),
    ("delete_conversations", "Can delete conversations"),
    ("import_conversations", "Can import conversations (transcripts) into the Management API"),
]

ANALYST = "Analyst"
TEAM_LEAD = "Team lead"
AUDITOR = "Auditor"
ADMIN = "Admin"

_ANALYST = [
    "view_trackers",
    "add_trackers",
    "change_trackers",
    "view_groups",
    "add_groups",
    "change_groups",
    "view_quality",
    "view_conversations",
    "read_messages",
    "change_conversations",
]
_TEAM_LEAD = _ANALYST + [
    "delete_trackers",
    "import_trackers",
    "revert_trackers",
    "delete_groups",
    "import_groups",
    "revert_groups",
    "view_audit",
    "view_reviews",
    "approve_reviews",
    "delete_conversations",
    "import_conversations",
]
_AUDITOR = [
    "view_trackers",
    "view_groups",
    "view_audit",
    "export_audit",
    "view_reviews",
    "view_quality",
    "view_conversations",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ANALYST: _ANALYST,
    TEAM_LEAD: _TEAM_LEAD,
    AUDITOR: _AUDITOR,
    ADMIN: [codename for codename, _ in PERMISSIONS],
}

# Highest first: a user in several groups is shown by the strongest role.
ROLE_ORDER = [ADMIN, TEAM_LEAD, AUDITOR, ANALYST]
MANAGE_USERS = "accounts.manage_users"


def role_of(user) -> str:
    """The role name to show for a user ("Admin" for superusers, "No role" when none)."""
    if not user.is_authenticated:
        return ""
    if user.is_superuser:
        return ADMIN
    from accounts.backends import access  # read with the permissions, in one query

    names = access(user)[0]
    return next((role for role in ROLE_ORDER if role in names), "No role")
