from django.db import migrations, models


def build(apps, schema_editor):
    from symbl_admin.audit.standings import rebuild

    rebuild(apps.get_model("audit", "AuditEntry"), apps.get_model("audit", "ObjectStanding"))


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_object_outcome_index")]

    operations = [
        migrations.CreateModel(
            name="ObjectStanding",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("object_type", models.CharField(max_length=16)),
                ("object_id", models.CharField(max_length=64)),
                ("touched", models.PositiveBigIntegerField(default=0)),
                ("last_write", models.PositiveBigIntegerField(default=0)),
                ("first_change", models.PositiveBigIntegerField(default=0)),
                ("approval_seq", models.PositiveBigIntegerField(default=0)),
                ("approval_up_to", models.PositiveBigIntegerField(default=0)),
                ("latest_seq", models.PositiveBigIntegerField(default=0)),
                ("latest_up_to", models.PositiveBigIntegerField(default=0)),
                ("latest_approved", models.BooleanField(default=False)),
                ("state", models.CharField(default="unreviewed", max_length=24)),
                ("in_queue", models.BooleanField(default=False)),
            ],
            options={
                "indexes": [
                    models.Index(fields=["touched"], name="standing_touched"),
                    models.Index(fields=["in_queue", "first_change"], name="standing_queue"),
                    models.Index(fields=["state"], name="standing_state"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("object_type", "object_id"), name="standing_object"
                    )
                ],
            },
        ),
        migrations.RunPython(build, migrations.RunPython.noop),
    ]
