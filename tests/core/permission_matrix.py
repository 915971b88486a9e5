"""The permission matrix: every URL pattern × method × role → the answer it must get.

Read by tests/core/test_permission_matrix.py, which walks the URLconf and fails on a pattern
declared here no more, or on a new one not declared yet: add its row when you add a view.

A row is five answers, for the roles in ROLES order: anonymous, analyst, team lead, auditor,
admin. "login": a redirect to a sign-in page; "403": refused, and a `permission_denied`
audit entry records it; otherwise the status code ("302" is any other redirect).

HEAD answers as GET wherever GET is allowed (`require_safe`, the generic views; the body is
dropped by symbl_admin.middleware.HeadMiddleware), so `methods()` gives HEAD the GET row unless
a row says otherwise, and a 403 on HEAD is audited like one on GET. Known, declared as they
are: `accounts/password/` answers PUT like POST (Django's FormView); Django's admin answers
its own routes for staff.
"""

from __future__ import annotations

ROLES = ("anonymous", "analyst", "lead", "auditor", "admin")
METHODS = ("GET", "POST", "HEAD", "PUT", "DELETE")

NO = "login 405 405 405 405"  # signed in: method not allowed
PUBLIC_NO = "405 405 405 405 405"
ANYONE = "login 200 200 200 200"  # every role
EDITORS = "login 200 200 403 200"  # add/change: analysts, leads, admins
LEADS = "login 403 200 403 200"  # delete, import, revert, review: leads and admins
LEADS_302 = "login 403 302 403 302"  # the same, answered with a redirect (post/redirect/get)
STAFF = "login 403 403 403 200"  # Django's admin: staff only
ADMINS = "login 403 403 403 200"  # the Users screens: the Admin role only (manage_users)
ADMINS_302 = "login 403 403 403 302"
STAFF_302 = "login 403 403 403 302"
STAFF_404 = "login 403 403 403 404"
STAFF_405 = "login 403 403 403 405"
# The admin's autocomplete refuses a request without its query parameters, for staff too.
STAFF_REFUSED = "login 403 403 403 403"


def methods(**rows: str) -> dict[str, str]:
    """A pattern's rows; HEAD not named answers as GET, another method not named is NO."""
    rows.setdefault("HEAD", rows.get("GET", NO))
    return {method: rows.get(method, NO) for method in METHODS}


def every_method(row: str) -> dict[str, str]:
    return dict.fromkeys(METHODS, row)


# Keyed by the pattern's route, as the resolver spells it (names are not unique in the admin).
MATRIX: dict[str, dict[str, str]] = {
    "": methods(GET=ANYONE),
    "accounts/login/": methods(
        GET="200 302 302 302 302",
        POST="200 302 302 302 302",
        PUT="200 302 302 302 302",
        DELETE="405 302 302 302 302",
    ),
    "accounts/logout/": methods(POST="login login login login login"),
    "accounts/password/": methods(GET=ANYONE, POST=ANYONE, PUT=ANYONE),
    "accounts/password/done/": methods(GET=ANYONE),
    "audit/": methods(GET="login 403 200 200 200"),
    "audit/<int:seq>/": methods(GET="login 403 200 200 200"),
    # The full check of the chain: its region (GET), and starting one (POST, then the page).
    "audit/verify/": methods(GET="login 403 200 200 200", POST="login 403 302 302 302"),
    "audit/export.csv": methods(GET="login 403 403 200 200"),
    "audit/export.json": methods(GET="login 403 403 200 200"),
    "audit/export.xlsx": methods(GET="login 403 403 200 200"),
    "conversations/": methods(GET=ANYONE),
    "conversations/<api_id:conversation_id>/": methods(GET=ANYONE),
    # An empty form names no version of the metadata: shown again, nothing saved.
    "conversations/<api_id:conversation_id>/metadata/": methods(GET=EDITORS, POST=EDITORS),
    "conversations/<api_id:conversation_id>/delete/": methods(GET=LEADS, POST=LEADS_302),
    "favicon.ico": methods(
        GET="301 301 301 301 301",
        POST=PUBLIC_NO,
        PUT=PUBLIC_NO,
        DELETE=PUBLIC_NO,
    ),
    "groups/": methods(GET=ANYONE),
    "groups/<api_id:object_id>/": methods(GET=ANYONE),
    "groups/<api_id:object_id>/conversations/": methods(GET=ANYONE),
    "groups/<api_id:object_id>/delete/": methods(GET=LEADS, POST=LEADS_302),
    "groups/<api_id:object_id>/edit/": methods(GET=EDITORS, POST=EDITORS),
    "groups/<api_id:object_id>/revert/<int:entry_id>/": methods(GET=LEADS, POST=LEADS_302),
    "groups/check/": methods(GET="login 405 405 403 405", POST=EDITORS),
    # An empty form is refused (400) for every role; each action checks its own permission.
    "groups/bulk/": methods(POST="login 400 400 400 400"),
    "groups/deleted/": methods(GET=LEADS),
    "groups/deleted/<api_id:object_id>/restore/": methods(POST=LEADS_302),
    "groups/export.csv": methods(GET=ANYONE),
    "groups/export.json": methods(GET=ANYONE),
    "groups/export.xlsx": methods(GET=ANYONE),
    "groups/import/": methods(GET=LEADS, POST=LEADS),
    "conversations/import/": methods(GET=LEADS, POST=LEADS),
    "conversations/import/<str:token>/": methods(GET="login 403 404 403 404"),
    "groups/new/": methods(GET=EDITORS, POST=EDITORS),
    "healthz": methods(
        GET="200 200 200 200 200",
        POST=PUBLIC_NO,
        PUT=PUBLIC_NO,
        DELETE=PUBLIC_NO,
    ),
    "readyz": methods(
        GET="200 200 200 200 200",
        POST=PUBLIC_NO,
        PUT=PUBLIC_NO,
        DELETE=PUBLIC_NO,
    ),
    "review/": methods(GET="login 403 200 200 200"),
    "review/decide/": methods(POST=LEADS_302),
    "review/impact/<int:first>/<int:last>/": methods(GET="login 403 200 200 200"),
    "review/impact/tracker/<int:first>/<int:last>/": methods(GET="login 403 200 200 200"),
    "review/quality/": methods(GET=ANYONE),
    "review/quality/export.csv": methods(GET=ANYONE),
    "review/quality/selections/": methods(GET=ANYONE),
    "review/quality/trackers/": methods(GET=ANYONE),
    "review/quality/export.xlsx": methods(GET=ANYONE),
    "tester/": methods(GET=ANYONE, POST=ANYONE),
    "tester/try/": methods(POST=ANYONE),
    # A draft's hits across stored conversations (sentences only with read_messages).
    "tester/across/": methods(POST=ANYONE),
    "trackers/": methods(GET=ANYONE),
    "trackers/<api_id:object_id>/": methods(GET=ANYONE),
    # What it caught: counts for every role; sentence text only with read_messages.
    "trackers/<api_id:object_id>/hits/": methods(GET=ANYONE),
    "trackers/<api_id:object_id>/delete/": methods(GET=LEADS, POST=LEADS_302),
    "trackers/<api_id:object_id>/edit/": methods(GET=EDITORS, POST=EDITORS),
    "trackers/<api_id:object_id>/revert/<int:entry_id>/": methods(GET=LEADS, POST=LEADS_302),
    "trackers/check/": methods(GET="login 405 405 403 405", POST=EDITORS),
    # An empty form is refused (400) for every role; each action checks its own permission.
    "trackers/bulk/": methods(POST="login 400 400 400 400"),
    "trackers/deleted/": methods(GET=LEADS),
    "trackers/deleted/<api_id:object_id>/restore/": methods(POST=LEADS_302),
    "trackers/export.csv": methods(GET=ANYONE),
    "trackers/export.json": methods(GET=ANYONE),
    "trackers/export.xlsx": methods(GET=ANYONE),
    "trackers/import/": methods(GET=LEADS, POST=LEADS),
    "trackers/new/": methods(GET=EDITORS, POST=EDITORS),
    "users/": methods(GET=ADMINS),
    "users/new/": methods(GET=ADMINS, POST=ADMINS),
    "users/<int:pk>/role/": methods(GET=ADMINS, POST=ADMINS),
    "users/<int:pk>/active/": methods(GET=ADMINS, POST=ADMINS),  # an empty POST: "choose"
    "users/<int:pk>/password/": methods(GET=ADMINS, POST=ADMINS),
    "admin/": every_method(STAFF),
    "admin/(?P<url>.*)$": every_method(STAFF_404),
    "admin/^(?P<app_label>accounts|auth)/$": every_method(STAFF),
    "admin/accounts/role/": every_method(STAFF),
    "admin/accounts/role/<path:object_id>/": every_method(STAFF_302),
    "admin/accounts/role/<path:object_id>/change/": every_method(STAFF),
    "admin/accounts/role/<path:object_id>/delete/": every_method(STAFF),
    "admin/accounts/role/<path:object_id>/history/": every_method(STAFF),
    "admin/accounts/role/add/": every_method(STAFF),
    "admin/auth/user/": every_method(STAFF),
    "admin/auth/user/<id>/password/": every_method(STAFF),
    "admin/auth/user/<path:object_id>/": every_method(STAFF_302),
    "admin/auth/user/<path:object_id>/change/": every_method(STAFF),
    "admin/auth/user/<path:object_id>/delete/": every_method(STAFF),
    "admin/auth/user/<path:object_id>/history/": every_method(STAFF),
    "admin/auth/user/add/": every_method(STAFF),
    "admin/autocomplete/": methods(
        GET=STAFF_REFUSED,
        POST=STAFF_405,
        HEAD=STAFF_REFUSED,
        PUT=STAFF_405,
        DELETE=STAFF_405,
    ),
    "admin/jsi18n/": methods(
        GET=STAFF,
        POST=STAFF_405,
        HEAD=STAFF,
        PUT=STAFF_405,
        DELETE=STAFF_405,
    ),
    "admin/login/": methods(GET=STAFF_302, POST=STAFF, HEAD=STAFF, PUT=STAFF, DELETE=STAFF_405),
    "admin/logout/": methods(
        GET=STAFF_405,
        POST="login 403 403 403 login",
        HEAD=STAFF_405,
        PUT=STAFF_405,
        DELETE=STAFF_405,
    ),
    "admin/password_change/": methods(
        GET=STAFF,
        POST=STAFF,
        HEAD=STAFF,
        PUT=STAFF,
        DELETE=STAFF_405,
    ),
    "admin/password_change/done/": methods(
        GET=STAFF,
        POST=STAFF_405,
        HEAD=STAFF,
        PUT=STAFF_405,
        DELETE=STAFF_405,
    ),
    "admin/r/<path:content_type_id>/<path:object_id>/": every_method(STAFF_404),
}
