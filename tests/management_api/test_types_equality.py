"""Tracker and Group compare and hash by every field the server sent, unknown ones too: a
kept value keyed by an object must not be shown for one that differs only in a field we do
not model (issue 21)."""

from symbl_admin.management_api.types import Group, Tracker


def test_trackers_that_differ_only_in_an_unknown_field_differ():
    a = Tracker.from_api({"id": "1", "name": "A", "vocabulary": ["x"], "updatedOn": "2026-01-01"})
    b = Tracker.from_api({"id": "1", "name": "A", "vocabulary": ["x"], "updatedOn": "2026-02-01"})
    assert a != b
    assert len({a, b}) == 2


def test_groups_that_differ_only_in_an_unknown_field_differ():
    a = Group.from_api({"id": "1", "name": "A", "criteria": "x==1", "owner": "ana"})
    b = Group.from_api({"id": "1", "name": "A", "criteria": "x==1", "owner": "bob"})
    assert a != b and hash(a) != hash(b)


def test_the_same_answer_is_the_same_object():
    answer = {"id": "1", "name": "A", "vocabulary": ["x"], "nested": {"k": [1, 2]}}
    assert Tracker.from_api(answer) == Tracker.from_api(dict(answer))
    assert hash(Tracker.from_api(answer)) == hash(Tracker.from_api(dict(answer)))
    assert dict(Tracker.from_api(answer).extra) == {"nested": {"k": [1, 2]}}
