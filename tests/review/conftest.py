"""Review fixtures: users per role and audited writes made as one of them."""

from __future__ import annotations

import pytest

from audit.services import AuditContext
from resources import services
from tests.groups.conversation_support import no_extension  # noqa: F401  (a fixture)
from trackers.resource import TRACKERS

PHRASES = ["special promotion", "discount for new customers", "month special", "sale now", "offer"]


def ctx_for(user, reason: str = "") -> AuditContext:
    return AuditContext(
        actor=user,
        username=user.username,
        request_id=f"req-{user.username}",
        ip="127.0.0.1",
        user_agent="pytest",
        reason=reason,
    )


@pytest.fixture
def people(make_user):
    """analyst, lead, lead2 (a second team lead) and auditor."""
    return {
        "analyst": make_user("ana", "Analyst"),
        "lead": make_user("lee", "Team lead"),
        "lead2": make_user("lou", "Team lead"),
        "auditor": make_user("aud", "Auditor"),
    }


@pytest.fixture
def write(api):
    """write(user, name, phrases, reason=) creates or updates the tracker called `name`."""

    def do(user, name, phrases, *, reason=""):
        existing = api.trackers.find_by_name(name)
        data = {"name": name, "vocabulary": list(phrases)}
        if existing is None:
            return services.create(
                client=api, resource=TRACKERS, data=data, ctx=ctx_for(user, reason)
            )
        return services.update(
            client=api,
            resource=TRACKERS,
            object_id=existing.id,
            data=data,
            fingerprint="",
            ctx=ctx_for(user, reason),
        )

    return do
