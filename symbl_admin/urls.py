"""The dashboard's URLconf."""

from functools import wraps

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.urls import URLResolver, include, path, reverse

from accounts.permissions import deny
from audit.account_trail import recording
from audit.context import AuditContext
from dashboard import views as dashboard_views


def _staff_only(view, *, login: bool = False):
    """Django's admin for staff; for anyone else it answers like the rest of the dashboard.

    A signed-in user without staff rights gets our 403 page, audited like every refusal (the
    admin would show its own sign-in form, as if a second account were needed). Anonymous users reach the admin's
    login URL first, as before, and that sends them on to our sign-in page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.is_staff:
            raise deny(request, "is_staff")
        if login and not user.is_authenticated:
            return redirect_to_login(request.GET.get("next") or reverse("admin:index"))
        if request.method != "POST":
            return view(request, *args, **kwargs)
        # A change to users or roles made here is audited as one entry per object, by this
        # admin, committed with the change (audit/account_trail.py).
        with transaction.atomic(), recording(AuditContext.from_request(request)):
            return view(request, *args, **kwargs)

    return wrapper


def _admin_urls():
    patterns, app_name, namespace = admin.site.urls

    def guard(items):
        for item in items:
            if isinstance(item, URLResolver):
                guard(item.url_patterns)
            else:
                item.callback = _staff_only(item.callback, login=item.name == "login")

    guard(patterns)
    return patterns, app_name, namespace


urlpatterns = [
    path("", dashboard_views.overview, name="overview"),
    path("healthz", dashboard_views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name none (Django's admin).
    path("favicon.ico", dashboard_views.favicon, name="favicon"),
    path("readyz", dashboard_views.readyz, name="readyz"),
    path("accounts/", include("accounts.urls")),
    path("trackers/", include("trackers.urls")),
    path("groups/", include("groups.urls")),
    path("conversations/import/", include("conversations.import_urls")),
    path("tester/", include("tester.urls")),
    path("conversations/", include("conversations.urls")),
    path("audit/", include("audit.urls")),
    path("review/", include("review.urls")),
    path("users/", include("accounts.user_urls")),
    path("admin/", _admin_urls()),
]

handler400 = "dashboard.views.bad_request"
handler403 = "dashboard.views.permission_denied"
handler404 = "dashboard.views.page_not_found"
handler500 = "dashboard.views.server_error"
