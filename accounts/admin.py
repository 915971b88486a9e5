"""Django's admin site (/admin/), for admins only, kept for what it alone does (a user's
direct permissions, a role's permissions, names and e-mail). Day-to-day user management is
the dashboard's Users screens (accounts/user_views.py).

Two things differ from the stock admin: roles are called roles (the Role proxy; "groups" are
conversation groups here), and the audit log's model permissions are never offered: nobody
may be granted the right to change or delete an audit entry, so the permission choices leave
out the audit app (a forged POST naming one is refused by the form like any unknown choice).
Every change made here is audited: symbl_admin/urls.py runs each admin POST inside
audit.account_trail.recording.
"""

from django.contrib import admin
from django.contrib.admin.filters import RelatedFieldListFilter
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission

from .models import Role

admin.site.site_header = "Symbl Admin — users and roles"
admin.site.site_title = "Symbl Admin"
admin.site.index_title = "Users and roles"

NEVER_GRANTED_APPS = ("audit",)


def grantable_permissions():
    """The permissions the admin offers: all but the audit log's own model permissions."""
    return Permission.objects.exclude(content_type__app_label__in=NEVER_GRANTED_APPS)


class RolesFilter(RelatedFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "role"


class RoleAdmin(GroupAdmin):
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "permissions":
            kwargs["queryset"] = grantable_permissions()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class AccountAdmin(UserAdmin):
    list_display = ("username", "email", "roles", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser", ("groups", RolesFilter))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="Roles")
    def roles(self, user) -> str:
        return ", ".join(sorted(g.name for g in user.groups.all())) or "—"

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "user_permissions":
            kwargs["queryset"] = grantable_permissions()
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups" and field is not None:
            field.label = "Roles"
            field.help_text = "The roles this user has; each role grants its permissions."
        return field


admin.site.unregister(Group)
admin.site.register(Role, RoleAdmin)
admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), AccountAdmin)
