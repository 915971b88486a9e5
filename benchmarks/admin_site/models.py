"""The same objects as the Management API's, as ORM rows."""

from django.db import models


class Tracker(models.Model):
    name = models.CharField(max_length=255, unique=True)
    vocabulary = models.JSONField(default=list)
    description = models.CharField(max_length=512, blank=True)
    categories = models.JSONField(default=list)
    languages = models.JSONField(default=list)
    exclude_vocabulary = models.JSONField(default=list)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    name = models.CharField(max_length=128, unique=True)
    description = models.CharField(max_length=512, blank=True)
    criteria = models.TextField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
