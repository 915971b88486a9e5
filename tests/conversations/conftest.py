"""Conversations screens' fixtures: processed conversations on the embedded server."""

from __future__ import annotations

import pytest

from tests.support.conversations import processed


@pytest.fixture
def calls(api):
    """Three conversations: two of John's (one 30 days old), one of Mary's."""
    return {
        "renewal": processed(api, "Renewal call", {"agentId": "johndoe", "callType": "sales"}),
        "old": processed(api, "Old support call", {"agentId": "johndoe"}, days_ago=30),
        "mary": processed(api, "Billing question", {"agentId": "mary", "callType": "support"}),
    }
