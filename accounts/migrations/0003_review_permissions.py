"""Adds the review permissions (issue 12) to the roles: leads and admins approve or request
changes; auditors see the queue read-only; everyone sees the quality report.

The lists are written out here, not read from roles.py, so this migration means the same
whatever roles.py says later.
"""

from django.db import migrations

PERMISSIONS = [
    ("view_reviews", "Can see the review queue"),
    ("approve_reviews", "Can approve changes or request changes"),
    ("view_quality", "Can see the quality report"),
]
ROLES = {
    "Analyst": ["view_quality"],
    "Team lead": ["view_reviews", "approve_reviews", "view_quality"],
    "Auditor": ["view_reviews", "view_quality"],
    "Admin": ["view_reviews", "approve_reviews", "view_quality"],
}


def add_permissions(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="accounts", model="dashboardpermission"
    )
    by_codename = {
        codename: Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in PERMISSIONS
    }
    for role, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*(by_codename[c] for c in codenames))


def remove_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="accounts", codename__in=[c for c, _ in PERMISSIONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles")]
    operations = [migrations.RunPython(add_permissions, remove_permissions)]
