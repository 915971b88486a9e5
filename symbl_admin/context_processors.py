"""Template context every page needs: the user's role and what the navigation may show."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from accounts.roles import MANAGE_USERS, role_of


def dashboard(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"api_mode": "remote" if settings.SYMBL_API_BASE_URL else "embedded"}
    match = getattr(request, "resolver_match", None)
    return {
        "nav_section": _section(match),
        "user_role": role_of(user),
        "api_mode": "remote" if settings.SYMBL_API_BASE_URL else "embedded",
        "nav": {
            "trackers": user.has_perm("accounts.view_trackers"),
            "groups": user.has_perm("accounts.view_groups"),
            "conversations": user.has_perm("accounts.view_conversations"),
            "audit": user.has_perm("accounts.view_audit"),
            "admin": user.is_staff,
            "users": user.has_perm(MANAGE_USERS),
            "review": user.has_perm("accounts.view_reviews"),
            "quality": user.has_perm("accounts.view_quality"),
        },
        # Counted only when a page shows it (the nav includes it twice: once per request).
        "review_count": SimpleLazyObject(_review_count(user)),
    }


def _section(match) -> str:
    """The navigation entry a page belongs to: its app, or its URL name outside one; the
    quality report has its own entry beside the review queue."""
    if match is None:
        return ""
    if match.namespace == "review" and (match.url_name or "").startswith("quality"):
        return "quality"
    return match.namespace or match.url_name


def _review_count(user):
    def count() -> int:
        if not user.has_perm("accounts.view_reviews"):
            return 0
        from review.standings import queue_count

        return queue_count()

    return count
