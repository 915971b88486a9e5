"""Adds the conversation permissions (issue 24) and gives them to the roles: viewing to
every role, reading transcripts and editing metadata to analysts, leads and admins,
deleting to leads and admins. Auditors see metadata only.

Written out here, not read from roles.py, so this migration means the same whatever roles.py
says later.
"""

from django.db import migrations

PERMISSIONS = {
    "view_conversations": "Can view conversations and their metadata",
    "read_messages": "Can read conversation transcripts",
    "change_conversations": "Can edit conversation metadata",
    "delete_conversations": "Can delete conversations",
}
ROLES = {
    "Analyst": ["view_conversations", "read_messages", "change_conversations"],
    "Team lead": [
        "view_conversations",
        "read_messages",
        "change_conversations",
        "delete_conversations",
    ],
    "Auditor": ["view_conversations"],
    "Admin": list(PERMISSIONS),
}


def add_permissions(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="accounts", model="dashboardpermission"
    )
    made = {
        codename: Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in PERMISSIONS.items()
    }
    for role, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*(made[c] for c in codenames))


def remove_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="accounts", codename__in=list(PERMISSIONS)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_role")]
    operations = [migrations.RunPython(add_permissions, remove_permissions)]
