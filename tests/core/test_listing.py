"""resources.listing: search, sort, paging and the URLs that keep the list's state.

Plain items with their own sort keys: the machinery is generic, so these tests do not lean
on any resource (trackers' keys and matcher are tested in tests/trackers/test_listing.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict

from resources.listing import PER_PAGE_CHOICES, ListQuery
from tests.support.listing import search_sort_paginate


@dataclass(frozen=True)
class Item:
    name: str
    size: int = 0


SORT_KEYS = {"name": lambda item: item.name.casefold(), "size": lambda item: item.size}
ITEMS = [Item("beta", 1), Item("Alpha", 3), Item("gamma", 2)]


def _matches(item: Item, needle: str) -> bool:
    return needle in item.name.casefold()


def _query(params: str) -> ListQuery:
    return ListQuery.from_params(QueryDict(params), sort_keys=list(SORT_KEYS))


def _page(params: str, items=ITEMS, base="/things/"):
    return search_sort_paginate(
        items, _query(params), base_url=base, matches=_matches, sort_keys=SORT_KEYS
    )


def _names(page) -> list[str]:
    return [item.name for item in page.items]


# -- ListQuery ------------------------------------------------------------------------------


def test_query_defaults_when_nothing_is_given():
    assert _query("") == ListQuery(q="", sort="name", desc=False, page=1, per_page=25)


def test_query_reads_a_descending_sort():
    assert (_query("sort=-size").sort, _query("sort=-size").desc) == ("size", True)


def test_unknown_sort_page_and_page_size_fall_back_to_the_defaults():
    assert _query("sort=-evil&page=abc&per_page=7") == ListQuery()


def test_page_below_one_is_page_one():
    assert _query("page=-4").page == 1


def test_search_text_is_stripped_and_cut_at_200_characters():
    assert _query("q=" + "  " + "x" * 250).q == "x" * 200


def test_params_leave_the_defaults_out():
    assert _query("sort=name&page=1&per_page=25").params() == {}


def test_params_keep_what_differs_from_the_defaults():
    query = _query(f"q=a&sort=-size&page=3&per_page={PER_PAGE_CHOICES[1]}")
    assert query.params() == {"q": "a", "sort": "-size", "per_page": 50, "page": 3}


def test_sort_url_flips_the_direction_of_the_current_key():
    assert _query("sort=size&page=2").sort_url("/things/", "size") == "/things/?sort=-size"


def test_sort_url_for_another_key_sorts_ascending_from_page_one():
    assert _query("sort=-size&page=2").sort_url("/things/", "name") == "/things/"


# -- search_sort_paginate -----------------------------------------------------------------------


def test_sorted_by_the_default_key():
    assert _names(_page("")) == ["Alpha", "beta", "gamma"]


def test_sorted_descending_by_another_key():
    assert _names(_page("sort=-size")) == ["Alpha", "gamma", "beta"]


def test_search_hands_the_matcher_a_casefolded_needle():
    assert _names(_page("q=ALPHA")) == ["Alpha"]


def test_search_counts_only_the_matches():
    page = _page("q=a")
    assert (page.count, page.num_pages) == (3, 1) and _names(_page("q=mm")) == ["gamma"]


def test_pagination_cuts_the_page_and_links_keep_the_query():
    many = [Item(f"t{i:03}") for i in range(60)]
    page = _page("q=t&page=2", items=many)
    assert (page.number, page.num_pages, page.start_index, page.end_index) == (2, 3, 26, 50)
    assert _names(page)[0] == "t025"
    assert (page.previous_url, page.next_url) == ("/things/?q=t", "/things/?q=t&page=3")


def test_first_and_last_pages_have_no_link_beyond_them():
    many = [Item(f"t{i:03}") for i in range(30)]
    first, last = _page("", items=many), _page("page=2", items=many)
    assert (first.has_previous, first.previous_url, first.has_next) == (False, "", True)
    assert (last.has_next, last.next_url, last.has_previous) == (False, "", True)


def test_page_past_the_end_shows_the_last_page():
    many = [Item(f"t{i:03}") for i in range(30)]
    page = _page("page=99", items=many)
    assert (page.number, _names(page)) == (2, [f"t{i:03}" for i in range(25, 30)])


def test_an_empty_list_is_one_empty_page():
    page = _page("q=nothing-matches")
    assert (page.items, page.number, page.num_pages, page.count) == ([], 1, 1, 0)
    assert (page.start_index, page.end_index) == (0, 0)
