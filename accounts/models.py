"""Accounts layer: the dashboard's permissions. Users are Django's own auth users."""

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
