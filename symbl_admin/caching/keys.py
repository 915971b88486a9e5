"""The one way a key is made: from the versions of what a value is made of.

A version is a narrow stamp of one input: an object's ETag or the hash of what the server
sent, a list's ETag, the review standings' version (review/standings.py: moves with any write
or review of any object, never with a sign-in), one object's latest audit entry, the audit
log's head (only for the audit pages, which show every entry), the viewer (who, their role and
permissions) and the time zone pages are written in. Callers name versions; this module turns
them into one key, so two callers cannot spell one input two ways.
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest
from django.utils import timezone


def derive(layer: str, *versions: object) -> str:
    """One key from a layer's name and the versions of its inputs (any repr-able values)."""
    return layer + ":" + hashlib.blake2b(repr(versions).encode(), digest_size=20).hexdigest()


def viewer(request: HttpRequest) -> tuple:
    """Everything about the viewer a page shows or depends on: who they are, their role, each
    permission the navigation and actions read, and the zone times are written in."""
    from symbl_admin.context_processors import dashboard

    user = request.user
    shown = dashboard(request)
    nav = tuple(sorted(shown.get("nav", {}).items()))
    perms = tuple(sorted(user.get_all_permissions())) if user.is_authenticated else ()
    return (
        user.pk,
        user.get_username(),
        user.is_superuser,
        shown.get("user_role"),
        nav,
        perms,
        shown.get("api_mode"),
        timezone.get_current_timezone_name(),
    )


def page(request: HttpRequest, template: str, versions: tuple) -> str:
    """The key of one rendered page or partial: its template, its address, its viewer, the
    review standings' version (every page's navigation counts the queue; lists and details
    show badges) and the versions of what the view shows."""
    from review.standings import version

    where = (template, request.get_full_path())
    return derive("pages", where, viewer(request), version(), versions)
