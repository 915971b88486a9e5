"""Review policy layer: who may approve what (the self-approval rule, settings-driven)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef

from accounts.roles import ADMIN

APPROVE = "accounts.approve_reviews"
MODES = ("sole-lead", "never", "always")


def mode() -> str:
    """settings.REVIEW_SELF_APPROVAL; an unknown value reads as the strict "never"."""
    value = getattr(settings, "REVIEW_SELF_APPROVAL", "sole-lead")
    return value if value in MODES else "never"


def other_reviewers(user) -> tuple[str, ...]:
    """Who else may approve, by kind: ("team lead", "admin"), either or neither. Active users
    only, by role, by their own permission, or as superusers (ModelBackend.with_perm); an
    admin is a superuser or a member of the Admin role. One query (every queue page asks)."""
    users = get_user_model().objects.with_perm(APPROVE, is_active=True, include_superusers=True)
    in_admin_role = Group.objects.filter(name=ADMIN, user=OuterRef("pk"))
    rows = (
        users.exclude(pk=user.pk)
        .annotate(admin_role=Exists(in_admin_role))
        .values_list("pk", "is_superuser", "admin_role")
        .distinct()
    )
    admin_of = {pk: superuser or role for pk, superuser, role in rows}
    n_admins = sum(admin_of.values())
    n_leads = len(admin_of) - n_admins
    return tuple(kind for kind, n in (("team lead", n_leads), ("admin", n_admins)) if n)


def self_approval(user) -> SelfApproval:
    """The rule for this request's viewer, made once: the queue's key and its page both ask."""
    kept = getattr(user, "_symbl_self_approval", None)
    if kept is None:
        kept = user._symbl_self_approval = SelfApproval(user)
    return kept


_WHO = {  # who approves a lead's own change, by the kinds of other approvers there are
    ("team lead", "admin"): "another team lead or an admin",
    ("team lead",): "another team lead",
    ("admin",): "an admin",
}


class SelfApproval:
    """The rule for one viewer, computed once per request."""

    def __init__(self, user) -> None:
        self.user = user
        self.mode = mode()
        self.others = other_reviewers(user) if self.mode != "always" else ()
        self.sole = self.mode == "sole-lead" and not self.others

    @property
    def allowed(self) -> bool:
        return self.mode == "always" or self.sole

    @property
    def version(self) -> tuple:
        """What the rule's words are made of (a kept queue's key)."""
        return (self.mode, self.others)

    def refusal(self, changes, *, actor_ids: frozenset | None = None) -> str:
        """Why this viewer may not approve these changes (or those of `actor_ids`), or ""."""
        authors = actor_ids if actor_ids is not None else {c.actor_id for c in changes}
        if self.allowed or self.user.pk not in authors:
            return ""
        who = _WHO.get(self.others)
        if who is None:
            return "You made a change here, and no one else may approve it yet."
        return f"You made a change here, so {who} must approve it."

    @property
    def note(self) -> str:
        """The rule in words, for the queue's heading: who actually approves a lead's own
        changes (another team lead, an admin, or no one yet)."""
        if self.mode == "always":
            return "Leads may approve their own changes here (REVIEW_SELF_APPROVAL=always)."
        if self.sole:
            return (
                "You are the only team lead, so you may approve your own changes. Once "
                "another lead joins, they approve yours."
            )
        who = _WHO.get(self.others)
        if who is None:
            return (
                "You cannot approve your own changes, and no one else may approve them yet: "
                "an admin can give another user the Team lead role."
            )
        if self.others == ("admin",):
            return (
                "You cannot approve your own changes: you are the only team lead, so an admin "
                "approves them."
            )
        return f"You cannot approve your own changes: {who} approves them."
