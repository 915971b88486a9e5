"""Trackers on the shared list machinery: their sort keys, matcher and phrase preview
(trackers/selectors.py); the machinery itself is tested in tests/core/test_listing.py."""

from django.http import QueryDict

from resources.listing import ListQuery
from symbl_admin.management_api.types import Tracker
from tests.support.listing import search_sort_paginate
from trackers.resource import TRACKERS as _RESOURCE
from trackers.resource import matching_phrases, tracker_matches

SORT_KEYS = _RESOURCE.sort_keys


def _t(i, name, phrases):
    return Tracker(id=str(i), name=name, vocabulary=tuple(phrases))


TRACKERS = [
    _t(1, "beta", ["x"]),
    _t(2, "Alpha", ["discount offer", "y", "z"]),
    _t(3, "gamma", ["a", "b"]),
]


def _page(params, base="/trackers/"):
    query = ListQuery.from_params(QueryDict(params), sort_keys=list(SORT_KEYS))
    return search_sort_paginate(
        TRACKERS, query, base_url=base, matches=tracker_matches, sort_keys=SORT_KEYS
    )


def test_sorted_by_name_case_insensitively_by_default():
    assert [t.name for t in _page("").items] == ["Alpha", "beta", "gamma"]


def test_sort_by_phrase_count_descending():
    assert [t.name for t in _page("sort=-phrases").items] == ["Alpha", "gamma", "beta"]


def test_search_matches_phrases_case_insensitively():
    assert [t.name for t in _page("q=DISCOUNT").items] == ["Alpha"]


def test_matching_phrases_come_first():
    assert matching_phrases(TRACKERS[1], "offer") == ["discount offer", "y", "z"]
    assert matching_phrases(TRACKERS[1], "z", limit=1) == ["z"]
