"""The vector caches (tester/vectors.py): per tracker version, and per transcript."""

from tester import vectors
from tester.vectors import LRU, fingerprint, sentence_vectors, tracker_vectors


def test_a_tracker_seen_before_is_not_embedded_again(fresh_caches, counting):
    tracker_vectors([(("price", "cost"), ())], counting)
    tracker_vectors([(("price", "cost"), ())], counting)
    assert counting.calls == [["price", "cost"]]


def test_an_edited_tracker_is_a_new_version(fresh_caches, counting):
    tracker_vectors([(("price",), ())], counting)
    tracker_vectors([(("price", "fees"), ())], counting)
    assert counting.calls == [["price"], ["price", "fees"]]


def test_phrases_to_ignore_are_part_of_the_version():
    assert fingerprint(("price",), ()) != fingerprint(("price",), ("free",))
    assert fingerprint(("a", "b"), ()) != fingerprint(("a b",), ())


def test_missing_trackers_go_to_the_model_in_one_call(fresh_caches, counting):
    tracker_vectors([(("a",), ())], counting)
    found = tracker_vectors([(("a",), ()), (("b",), ("c",)), (("d",), ())], counting)
    assert counting.calls[1] == ["b", "c", "d"]
    assert [len(f.phrases) for f in found] == [1, 1, 1]
    assert [len(f.ignored) for f in found] == [0, 1, 0]


def test_cached_vectors_equal_fresh_ones(fresh_caches, counting):
    first = tracker_vectors([(("b",), ("c",))], counting)[0]
    again = tracker_vectors([(("b",), ("c",))], counting)[0]
    assert (first.phrases == counting(["b"])).all()
    assert (again.ignored == counting(["c"])).all()


def test_a_transcript_is_embedded_once(fresh_caches, counting):
    sentence_vectors(["one.", "two."], counting)
    sentence_vectors(["one.", "two."], counting)
    assert counting.calls == [["one.", "two."]]
    assert vectors.TRANSCRIPTS.hits == 1


def test_lru_drops_the_least_recently_used():
    cache = LRU(max_entries=2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.get("a")
    cache.put("c", 3)
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c")) == (1, 3)
    assert len(cache) == 2
