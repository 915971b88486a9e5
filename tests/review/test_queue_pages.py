"""A long review queue: 10 objects to a page, each listing its latest changes only (the first
3 shown, the rest collapsed; only the first 3 items open their diff), and a decision made on
page 2 comes back on page 2."""

from __future__ import annotations

import pytest
from django.test import Client

from review.reviews import object_reviews

from .conftest import PHRASES

pytestmark = pytest.mark.django_db


def _items(page: str) -> int:
    return page.count('class="card review-item"')


def test_the_queue_comes_10_to_a_page(people, write):
    trackers = [write(people["analyst"], f"T{i:02}", PHRASES) for i in range(23)]
    lead = Client()
    lead.force_login(people["lead"])
    first = lead.get("/review/").content.decode()
    assert _items(first) == 10 and "Page 1 of 3" in first and "Objects 1–10 of 23." in first
    assert "23 objects changed" in first  # the count is the whole queue's
    last_page = lead.get("/review/?page=3").content.decode()
    assert _items(last_page) == 3 and 'start="21"' in last_page and "T22" in last_page
    assert lead.get("/review/?page=x").status_code == 200
    # Approving on page 3 (htmx) answers with page 3 and the whole queue's new count.
    last = trackers[-1]
    key = f"tracker:{last.id}:{object_reviews()[('tracker', last.id)].head}"
    answer = lead.post(
        "/review/decide/",
        {"item": key, "decision": "approve", "comment": "", "page": "3"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert _items(answer) == 2 and "Page 3 of 3" in answer
    assert 'hx-swap-oob="innerHTML:.review-count">22<' in answer


def test_an_item_lists_its_latest_five_changes(people, write):
    for n in range(7):
        tracker = write(people["analyst"], "Promo", [*PHRASES, f"extra {n}"])
    lead = Client()
    lead.force_login(people["lead"])
    page = lead.get("/review/").content.decode()
    item = page.split('class="review-changes small"')[1].split("</details>")[0]
    assert item.count("<li>") == 5  # the first 3 shown, the other 2 behind "2 more changes"
    assert "The latest 5 changes; 2 earlier ones in the" in page
    assert f"/trackers/{tracker.id}/#history-heading" in page


def _as(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_an_item_shows_three_changes_and_collapses_the_rest(people, write):
    for n in range(5):
        write(people["analyst"], "Promo", [*PHRASES, f"extra {n}"])
    page = _as(people["lead"]).get("/review/").content.decode()
    shown, more = page.split('<details class="review-more small">')
    assert shown.count("<li><strong>") == 3
    assert "<summary>2 more changes</summary>" in more
    assert more.split("</details>")[0].count("<li><strong>") == 2


def test_only_the_first_three_items_open_their_diff(people, write):
    for n in range(5):
        write(people["analyst"], f"Tracker {n}", PHRASES)
    page = _as(people["lead"]).get("/review/").content.decode()
    assert page.count('<details class="review-diff" open>') == 3
    assert page.count('<details class="review-diff">') == 2
