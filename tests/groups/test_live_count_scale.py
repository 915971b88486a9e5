"""The issue's scale target for the editor's live count: at 10,000 conversations (5 metadata
keys each), the count the editor makes (what the criteria select, and of how many) takes at
most 100 ms median against one standalone server over HTTP, through the dashboard's client.
Also prints what fetching one group's ids costs (the quality report's comparison)."""

from __future__ import annotations

import statistics
import time

from benchmarks.conversation_bed import build_bed
from groups.selection import live_count
from symbl_admin.management_api import ManagementAPIClient
from symbl_admin.management_api.sessions import new_session
from tests.support.standalone import standalone_server

ROUNDS = 40
DENSE = "conversation.metadata.callType==sales"
SPARSE = "conversation.metadata.agentId==agent7;conversation.metadata.callType==sales"


def _median_ms(call) -> float:
    spent = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        call()
        spent.append((time.perf_counter() - started) * 1000)
    return statistics.median(spent)


def test_the_live_count_is_within_100_ms_at_10000_conversations(tmp_path, figure):
    from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET

    path = tmp_path / "api.sqlite3"
    build_bed(path)
    with standalone_server(path, args=("--workers", "1", "--threads", "4")) as url:
        session = new_session()
        client = ManagementAPIClient(url, LOCAL_APP_ID, LOCAL_APP_SECRET, session=session)
        found = live_count(client=client, criteria=DENSE)
        assert found.of == 10_000 and 0 < found.selected < 10_000
        dense = _median_ms(lambda: live_count(client=client, criteria=DENSE))
        sparse = _median_ms(lambda: live_count(client=client, criteria=SPARSE))
        ids = _median_ms(lambda: client.conversations.selected_ids(DENSE))
        session.close()
    figure(
        "groups live count at 10,000 conversations",
        f"median {dense:.1f} ms (a quarter selected), {sparse:.1f} ms (two conditions); "
        f"one group's ids (a quarter): {ids:.1f} ms",
    )
    print(f"\nlive count: dense {dense:.1f} ms, sparse {sparse:.1f} ms; ids {ids:.1f} ms")
    assert dense <= 100 and sparse <= 100, (dense, sparse)
