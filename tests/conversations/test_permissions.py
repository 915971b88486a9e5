"""Who may do what with conversations (accounts/roles.py, migration 0006), and the
navigation entry for those who may view them."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

CODES = ("view_conversations", "read_messages", "change_conversations", "delete_conversations")


@pytest.mark.parametrize(
    ("role", "held"),
    [
        ("Analyst", {"view_conversations", "read_messages", "change_conversations"}),
        ("Team lead", set(CODES)),
        ("Auditor", {"view_conversations"}),
        ("Admin", set(CODES)),
    ],
)
def test_each_roles_conversation_permissions(make_user, role, held):
    user = make_user(f"u-{role}", role)
    assert {c for c in CODES if user.has_perm(f"accounts.{c}")} == held


def test_the_transcript_permission_says_what_it_is():
    from django.contrib.auth.models import Permission

    assert Permission.objects.get(codename="read_messages").name == (
        "Can read conversation transcripts"
    )


@pytest.mark.parametrize("key", ["analyst", "lead", "auditor", "admin"])
def test_conversations_are_in_the_navigation(role_client, key):
    assert b'href="/conversations/">Conversations</a>' in role_client(key).get("/").content


def test_a_user_without_a_role_neither_sees_nor_opens_them(make_user, client, api):
    client.force_login(make_user("nobody"))
    assert b'href="/conversations/"' not in client.get("/").content
    assert client.get("/conversations/").status_code == 403
