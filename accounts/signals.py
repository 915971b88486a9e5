"""Signals sent by the permission layer (the audit app records them)."""

from django.dispatch import Signal

# Sent with request= and permission= whenever a view refuses a signed-in user.
permission_denied = Signal()
