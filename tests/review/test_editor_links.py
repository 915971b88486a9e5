"""Only what the viewer may do (issue 23): the quality report and the review queue offer
"Open in the editor" to those who may edit; an auditor followed it to a 403 that wrote a
"Permission denied" audit entry each time."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

EDITOR = "Open in the editor"


@pytest.fixture
def findings(api, people, write):
    """A tracker and a group with quality findings; the tracker waits for review."""
    write(people["analyst"], "Short", ["cmd", "I think so"])
    api.groups.create(
        name="Never", criteria="conversation.metadata.a==x;conversation.metadata.a==y"
    )


@pytest.mark.parametrize("path", ["/review/quality/", "/review/"])
def test_an_auditor_is_not_offered_the_editor(role_client, findings, path):
    page = role_client("auditor").get(path).content.decode()
    assert "Short" in page
    assert EDITOR not in page


@pytest.mark.parametrize("path", ["/review/quality/", "/review/"])
def test_a_team_lead_is_offered_the_editor(role_client, findings, path):
    page = role_client("lead").get(path).content.decode()
    assert EDITOR in page
