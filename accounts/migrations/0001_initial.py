from django.db import migrations, models

from accounts.roles import PERMISSIONS


class Migration(migrations.Migration):
    initial = True
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        migrations.CreateModel(
            name="DashboardPermission",
            fields=[("id", models.BigAutoField(primary_key=True, serialize=False))],
            options={
                "managed": False,
                "default_permissions": (),
                "permissions": PERMISSIONS,
                "verbose_name": "dashboard permission",
            },
        ),
    ]
