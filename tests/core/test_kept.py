"""symbl_admin.kept: values kept under their inputs' stamps."""

from __future__ import annotations

from symbl_admin.kept import Kept


def test_a_value_is_computed_once_per_key_and_never_without_a_stamp():
    kept, computed = Kept(size=2), []

    def compute(value):
        def go():
            computed.append(value)
            return value

        return go

    assert kept.get("a", compute(1)) == 1
    assert kept.get("a", compute(2)) == 1  # the same stamp: the kept value
    assert kept.get("b", compute(3)) == 3
    assert kept.get("c", compute(4)) == 4  # full: starts over, nothing grows without bound
    assert kept.get("a", compute(5)) == 5
    assert kept.get("x", compute(6), keep=False) == 6
    assert kept.get("x", compute(7), keep=False) == 7  # no stamp: computed every time
    assert computed == [1, 3, 4, 5, 6, 7]
