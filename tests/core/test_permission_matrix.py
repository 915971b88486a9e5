"""Every URL × method × role gets the answer tests/core/permission_matrix.py declares, with
real ids in the path; a pattern without a declaration fails; every 403 is audited."""

from __future__ import annotations

import pytest
from django.test import Client

from audit.models import AuditEntry
from tests.conftest import ROLES as ROLE_GROUPS
from tests.core.matrix_world import build_world, walk
from tests.core.permission_matrix import MATRIX, METHODS, ROLES

pytestmark = pytest.mark.django_db

ROUTES = sorted({route for _, route in walk()})
NAMES = {route: name for name, route in walk()}


@pytest.fixture(autouse=True)
def _own_checkpoints(settings, tmp_path):
    """POST audit/verify/ runs a full check, which saves a checkpoint: into this test's folder,
    never one a later test's log would be compared with."""
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "audit-checkpoints")


# POST last: it may delete the objects the other methods' paths name.
ORDER = [m for m in METHODS if m != "POST"] + ["POST"]


def test_every_url_pattern_is_declared_and_every_declaration_is_a_pattern(figure):
    figure(
        "permission matrix",
        f"{len(ROUTES)} URL patterns × {len(METHODS)} methods × {len(ROLES)} roles declared",
    )
    assert sorted(set(ROUTES) - set(MATRIX)) == []  # add the new view's row to the matrix
    assert sorted(set(MATRIX) - set(ROUTES)) == []
    for route, rows in MATRIX.items():
        assert set(rows) == set(METHODS), route
        assert all(len(row.split()) == len(ROLES) for row in rows.values()), route


def _client(make_user, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        extra = {"is_staff": True, "is_superuser": True} if role == "admin" else {}
        client.force_login(make_user(f"matrix-{role}", ROLE_GROUPS[role], **extra))
    return client


def _denials(path: str, method: str) -> int:
    entries = AuditEntry.objects.filter(action="permission_denied")
    return sum(1 for e in entries if e.after == {**e.after, "path": path, "method": method})


def _check(response, expected: str, path: str, method: str, denied_before: int) -> None:
    where = (method, path, expected)
    if expected == "login":
        assert response.status_code == 302, where
        location = response["Location"].split("?")[0]
        assert location in ("/accounts/login/", "/admin/login/"), where
    else:
        assert response.status_code == int(expected), where
    if expected == "403":
        assert _denials(path, method) == denied_before + 1, ("not audited", *where)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES)
def test_each_role_gets_the_declared_answer(make_user, api, route, role, figure):
    world = build_world(api)
    path = world.path(NAMES[route], route)
    client = _client(make_user, role)
    audited = 0
    for method in ORDER:
        expected = MATRIX[route][method].split()[ROLES.index(role)]
        before = _denials(path, method)
        response = getattr(client, method.lower())(path)
        _check(response, expected, path, method, before)
        audited += expected == "403"
    figure.count("permission matrix", **{"answers checked": len(ORDER), "403s audited": audited})
