"""Audit test fixtures: an audit context, a fake Management API client, a private checkpoint dir."""

from __future__ import annotations

import pytest

from audit.services import AuditContext
from symbl_admin.management_api.errors import NotFound
from symbl_admin.management_api.types import Group, Tracker


@pytest.fixture(autouse=True)
def _checkpoints(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "audit-checkpoints")
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ctx(make_user):
    user = make_user("writer", "Team lead")
    return AuditContext(
        actor=user,
        username="writer",
        request_id="req-1",
        ip="127.0.0.1",
        user_agent="pytest",
        reason="because",
    )


class FakeResource:
    """The slice of the client's resource API the reconcile step uses."""

    def __init__(self, kind):
        self.kind = kind
        self.items: dict[str, dict] = {}

    def put(self, data: dict):
        self.items[str(data["id"])] = data

    def get(self, object_id):
        if str(object_id) not in self.items:
            raise NotFound("not found", status=404)
        return self.kind.from_api(self.items[str(object_id)])

    def find_by_name(self, name):
        for data in self.items.values():
            if data["name"] == name:
                return self.kind.from_api(data)
        return None


class FakeClient:
    def __init__(self):
        self.trackers = FakeResource(Tracker)
        self.groups = FakeResource(Group)


@pytest.fixture
def fake_client():
    return FakeClient()


TRACKER_BEFORE = {"id": "101", "name": "Promo", "vocabulary": ["discount", "offer", "sale"]}
TRACKER_AFTER = {"id": "101", "name": "Promotion", "vocabulary": ["offer", "coupon", "sale"]}
GROUP_BEFORE = {
    "id": "201",
    "name": "John",
    "description": "",
    "criteria": "conversation.metadata.agentId==john",
}
GROUP_AFTER = {
    "id": "201",
    "name": "John calls",
    "description": "calls",
    "criteria": "conversation.metadata.agentId==john",
}
