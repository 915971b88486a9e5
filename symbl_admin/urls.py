"""The dashboard's URLconf."""

from django.contrib import admin
from django.urls import include, path

from symbl_admin.core import views as core_views

urlpatterns = [
    path("", core_views.overview, name="overview"),
    path("healthz", core_views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name none (Django's admin).
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("readyz", core_views.readyz, name="readyz"),
    path("accounts/", include("symbl_admin.accounts.urls")),
    path("trackers/", include("trackers.urls")),
    path("groups/", include("groups.urls")),
    path("audit/", include("symbl_admin.audit.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "symbl_admin.core.views.bad_request"
handler403 = "symbl_admin.core.views.permission_denied"
handler404 = "symbl_admin.core.views.page_not_found"
handler500 = "symbl_admin.core.views.server_error"
