"""A long review queue: 20 objects to a page, each listing its latest changes only, and a
decision made on page 2 comes back on page 2."""

from __future__ import annotations

import pytest
from django.test import Client

from symbl_admin.audit.reviews import object_reviews

from .conftest import PHRASES

pytestmark = pytest.mark.django_db


def _items(page: str) -> int:
    return page.count('class="card review-item"')


def test_the_queue_comes_20_to_a_page(people, write):
    trackers = [write(people["analyst"], f"T{i:02}", PHRASES) for i in range(23)]
    lead = Client()
    lead.force_login(people["lead"])
    first = lead.get("/review/").content.decode()
    assert _items(first) == 20 and "Page 1 of 2" in first and "Objects 1–20 of 23." in first
    assert "23 objects changed" in first  # the count is the whole queue's
    second = lead.get("/review/?page=2").content.decode()
    assert _items(second) == 3 and 'start="21"' in second and "T22" in second
    assert lead.get("/review/?page=x").status_code == 200
    # Approving on page 2 (htmx) answers with page 2 and the whole queue's new count.
    last = trackers[-1]
    key = f"tracker:{last.id}:{object_reviews()[('tracker', last.id)].head}"
    answer = lead.post(
        "/review/decide/",
        {"item": key, "decision": "approve", "comment": "", "page": "2"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert _items(answer) == 2 and "Page 2 of 2" in answer
    assert 'hx-swap-oob="innerHTML:.review-count">22<' in answer


def test_an_item_lists_its_latest_five_changes(people, write):
    for n in range(7):
        tracker = write(people["analyst"], "Promo", [*PHRASES, f"extra {n}"])
    lead = Client()
    lead.force_login(people["lead"])
    page = lead.get("/review/").content.decode()
    listed = page.split('class="review-changes small"')[1].split("</ol>")[0]
    assert listed.count("<li>") == 5
    assert "The latest 5 changes; 2 earlier ones in the" in page
    assert f"/trackers/{tracker.id}/#history-heading" in page
