"""Template context every page needs: the user's role and what the navigation may show."""

from django.conf import settings

from .accounts.roles import role_of


def dashboard(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"api_mode": "remote" if settings.SYMBL_API_BASE_URL else "embedded"}
    match = getattr(request, "resolver_match", None)
    return {
        "nav_section": (match.namespace or match.url_name) if match else "",
        "user_role": role_of(user),
        "api_mode": "remote" if settings.SYMBL_API_BASE_URL else "embedded",
        "nav": {
            "trackers": user.has_perm("accounts.view_trackers"),
            "groups": user.has_perm("accounts.view_groups"),
            "audit": user.has_perm("accounts.view_audit"),
            "admin": user.is_staff,
        },
    }
