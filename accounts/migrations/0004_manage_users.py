"""Adds the permission to manage users and roles on the dashboard's Users screens (issue 23),
held by the Admin role.

Written out here, not read from roles.py, so this migration means the same whatever roles.py
says later.
"""

from django.db import migrations

CODENAME, NAME = "manage_users", "Can manage users and their roles"


def add_permission(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="accounts", model="dashboardpermission"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=CODENAME, defaults={"name": NAME}
    )
    group, _ = Group.objects.get_or_create(name="Admin")
    group.permissions.add(permission)


def remove_permission(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="accounts", codename=CODENAME).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_review_permissions")]
    operations = [migrations.RunPython(add_permission, remove_permission)]
