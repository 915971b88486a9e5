"""Accounts layer: the dashboard's permissions. Users are Django's own auth users."""

from django.contrib.auth.models import Group
from django.db import models

from .roles import PERMISSIONS


class DashboardPermission(models.Model):
    """Holds the permissions for things that live behind the Management API (no table)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = PERMISSIONS
        verbose_name = "dashboard permission"

    def __str__(self) -> str:
        return "Dashboard permissions"


class Role(Group):
    """Django's auth group under the name we use for it: a role. Its own admin page (the
    stock "Groups" would clash with conversation groups); no table of its own."""

    class Meta:
        proxy = True
        verbose_name = "role"
        verbose_name_plural = "roles"
