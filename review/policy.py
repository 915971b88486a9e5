"""Review policy layer: who may approve what (the self-approval rule, settings-driven)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model

APPROVE = "accounts.approve_reviews"
MODES = ("sole-lead", "never", "always")


def mode() -> str:
    """settings.REVIEW_SELF_APPROVAL; an unknown value reads as the strict "never"."""
    value = getattr(settings, "REVIEW_SELF_APPROVAL", "sole-lead")
    return value if value in MODES else "never"


def other_reviewers(user) -> int:
    """How many other active users may approve (team leads and admins): by role, by their
    own permission, or as superusers (ModelBackend.with_perm)."""
    users = get_user_model().objects.with_perm(APPROVE, is_active=True, include_superusers=True)
    return users.exclude(pk=user.pk).count()


class SelfApproval:
    """The rule for one viewer, computed once per request."""

    def __init__(self, user) -> None:
        self.user = user
        self.mode = mode()
        self.sole = self.mode == "sole-lead" and other_reviewers(user) == 0

    @property
    def allowed(self) -> bool:
        return self.mode == "always" or self.sole

    def refusal(self, changes, *, actor_ids: frozenset | None = None) -> str:
        """Why this viewer may not approve these changes (or those of `actor_ids`), or ""."""
        authors = actor_ids if actor_ids is not None else {c.actor_id for c in changes}
        if self.allowed or self.user.pk not in authors:
            return ""
        return "You made a change here, so another team lead must approve it."

    @property
    def note(self) -> str:
        """The rule in words, for the queue's heading."""
        if self.mode == "always":
            return "Leads may approve their own changes here (REVIEW_SELF_APPROVAL=always)."
        if self.sole:
            return (
                "You are the only team lead, so you may approve your own changes. Once "
                "another lead joins, they approve yours."
            )
        return "You cannot approve your own changes: another team lead approves them."
