"""Review models: each object's standing, an index of the audit log (review/standings.py)."""

from django.db import models


class ObjectStanding(models.Model):
    """One object's review standing, an index of the log kept in the same transaction as
    the entries it follows (review/standings.py, called by audit.chain); `manage.py
    rebuild_standings` makes it again from the log. Not a cache: never read stale, never switched off."""

    object_type = models.CharField(max_length=16)
    object_id = models.CharField(max_length=64)
    touched = models.PositiveBigIntegerField(default=0)  # the object's latest entry of any kind
    last_write = models.PositiveBigIntegerField(default=0)  # latest successful write's intent
    first_change = models.PositiveBigIntegerField(default=0)  # first after the approval
    approval_seq = models.PositiveBigIntegerField(default=0)
    approval_up_to = models.PositiveBigIntegerField(default=0)
    latest_seq = models.PositiveBigIntegerField(default=0)  # latest review of any kind
    latest_up_to = models.PositiveBigIntegerField(default=0)
    latest_approved = models.BooleanField(default=False)
    state = models.CharField(max_length=24, default="unreviewed")
    in_queue = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id"], name="standing_object")
        ]
        indexes = [
            models.Index(fields=["touched"], name="standing_touched"),
            models.Index(fields=["in_queue", "first_change"], name="standing_queue"),
            models.Index(fields=["state"], name="standing_state"),
        ]

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_id}: {self.state}"
