"""A lead cannot approve their own change unless they are the only lead (REVIEW_SELF_APPROVAL)."""

from __future__ import annotations

import pytest

from review import services
from review.reviews import object_reviews

from .conftest import PHRASES, ctx_for

pytestmark = pytest.mark.django_db


def _own_change(people, write):
    tracker = write(people["lead"], "Promo", PHRASES)
    return ("tracker", tracker.id, object_reviews()[("tracker", tracker.id)].head)


def _approve(user, target):
    return services.review_approve(user=user, ctx=ctx_for(user), targets=[target])


def test_a_lead_cannot_approve_their_own_change_when_another_lead_exists(people, write):
    result = _approve(people["lead"], _own_change(people, write))
    assert result.done == []
    assert "another team lead" in next(iter(result.refused.values()))


def test_another_lead_may_approve_it(people, write):
    assert _approve(people["lead2"], _own_change(people, write)).done == ["Promo"]


def test_the_only_lead_may_approve_their_own_change(people, write):
    target = _own_change(people, write)
    people["lead2"].delete()
    assert _approve(people["lead"], target).done == ["Promo"]


def test_an_inactive_lead_does_not_count(people, write):
    target = _own_change(people, write)
    people["lead2"].is_active = False
    people["lead2"].save()
    assert _approve(people["lead"], target).done == ["Promo"]


def test_never_refuses_even_the_only_lead(people, write, settings):
    settings.REVIEW_SELF_APPROVAL = "never"
    target = _own_change(people, write)
    people["lead2"].delete()
    assert _approve(people["lead"], target).done == []


def test_always_allows_it(people, write, settings):
    settings.REVIEW_SELF_APPROVAL = "always"
    assert _approve(people["lead"], _own_change(people, write)).done == ["Promo"]


def test_the_queue_says_so(people, write, client):
    _own_change(people, write)
    client.force_login(people["lead"])
    page = client.get("/review/").content.decode()
    assert "You cannot approve your own changes" in page
    assert "another team lead must approve it" in page
    assert 'value="approve" class="btn' not in page
    assert 'id="review-bulk"' not in page  # nothing this lead may select


@pytest.mark.django_db
def test_who_else_approves_is_one_query_asked_once_per_request(
    make_user, django_assert_num_queries
):
    """Every queue page (its key and its page) asks who else may approve: one query, once."""
    from review.policy import other_reviewers, self_approval

    lead = make_user("lead-a", "Team lead")
    make_user("lead-b", "Team lead")
    make_user("root", is_superuser=True)
    make_user("boss", "Admin")
    make_user("gone", "Team lead", is_active=False)
    make_user("ana", "Analyst")
    viewer = type(lead).objects.get(pk=lead.pk)
    with django_assert_num_queries(1):
        assert other_reviewers(viewer) == ("team lead", "admin")
    with django_assert_num_queries(1):
        first = self_approval(viewer)
        assert self_approval(viewer) is first
    alone = make_user("solo", "Team lead")
    for other in type(lead).objects.exclude(pk=alone.pk):
        other.is_active = False
        other.save()
    assert other_reviewers(type(alone).objects.get(pk=alone.pk)) == ()
