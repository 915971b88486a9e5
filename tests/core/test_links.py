"""symbl_admin.links: many objects' links from one reverse()."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from symbl_admin.links import url_for_each, url_of


def test_a_kept_pattern_gives_what_reverse_gives():
    for seq in (1, 42, 9081726354, 10**17):
        assert url_of("audit:detail", seq) == reverse("audit:detail", args=[seq])
    each = url_for_each("trackers:detail")
    for object_id in ("123", "abc_DEF-9", "9081726354"):
        assert each(object_id) == reverse("trackers:detail", args=[object_id])


def test_no_argument_and_refused_values_behave_as_reverse():
    assert url_of("trackers:list") == reverse("trackers:list") == "/trackers/"
    with pytest.raises(NoReverseMatch):
        url_of("trackers:detail", "a/b")  # the route refuses it, as reverse() would
    assert (
        url_of(
            "trackers:detail",
            "abc",
        )
        == "/trackers/abc/"
    )
