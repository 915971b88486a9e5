"""Adds the permission to import conversations (issue 24), held by the Team lead and Admin
roles.

Written out here, not read from roles.py, so this migration means the same whatever roles.py
says later.
"""

from django.db import migrations

CODENAME, NAME = (
    "import_conversations",
    "Can import conversations (transcripts) into the Management API",
)
ROLES = ("Team lead", "Admin")


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
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(permission)


def remove_permission(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="accounts", codename=CODENAME).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_conversation_permissions")]
    operations = [migrations.RunPython(add_permission, remove_permission)]
