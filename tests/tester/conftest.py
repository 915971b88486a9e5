import numpy as np
import pytest

from tester import vectors


@pytest.fixture(scope="session")
def encoder():
    """The real model, loaded once per test process (the views share the same one)."""
    from symbl_admin.embedding import get_encoder

    return get_encoder()


@pytest.fixture
def fresh_caches():
    vectors.TRACKERS.clear()
    vectors.TRANSCRIPTS.clear()
    yield
    vectors.TRACKERS.clear()
    vectors.TRANSCRIPTS.clear()


class CountingEncoder:
    """A stand-in model: a fixed unit vector per text, and a record of what it was asked."""

    def __init__(self):
        self.calls: list[list[str]] = []

    def __call__(self, texts):
        self.calls.append(list(texts))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i, sum(map(ord, text)) % 384] = 1.0
        return out


@pytest.fixture
def counting():
    return CountingEncoder()
