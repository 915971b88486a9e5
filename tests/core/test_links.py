"""symbl_admin.links: many objects' links from one reverse()."""

from __future__ import annotations

from django.urls import reverse

from symbl_admin.links import url_for_each, url_of


def test_a_kept_pattern_gives_what_reverse_gives():
    for seq in (1, 42, 9081726354, 10**17):
        assert url_of("audit:detail", seq) == reverse("audit:detail", args=[seq])
    each = url_for_each("trackers:detail")
    for object_id in ("123", "abc_DEF-9", "9081726354"):
        assert each(object_id) == reverse("trackers:detail", args=[object_id])
