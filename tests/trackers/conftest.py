import pytest

from tests.trackers.writes import PHRASES


@pytest.fixture
def tracker(api):
    return api.trackers.create(name="Promotion Mention", vocabulary=PHRASES)
