"""`make bench`: what each page costs over its Management API call and against Django admin,
over HTTP at the account's full size, as ratios measured side by side in one run.

    python -m benchmarks            # full size; prints the table, writes bench/results.md
    python -m benchmarks --smoke    # tiny sizes, no targets (tests/ops/test_bench_smoke.py)

Builds the bed (benchmarks/bed.py) in a throwaway folder, measures, stops every server, then
runs the tracker tester's benchmark (benchmarks/tester.py) and tracker detection's
(benchmarks/detections.py, over its bed kept between runs) each in its own process. Exit 1
when a target is missed. `python -m benchmarks.detections` runs the detection rows alone.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote_plus

from benchmarks import bed as beds
from benchmarks import cache_layers, conversations, data, spreadsheet
from benchmarks.measure import Browser, after, interleaved, log_lines, upstream_calls, wrk_rate
from benchmarks.report import Row, markdown, plain, write, wrk_row
from benchmarks.stack import ROOT, Stack, free_port, peaks_reset, status_kb

RESULTS = ROOT / "bench" / "results.md"
# The measures of the account in use (each after another client's change or another sign-in).
IN_USE = ("t_list_changed", "t_list_signin", "t_detail_changed", "review_changed")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, no targets")
    parser.add_argument("--out", type=Path, default=None, help=f"default {RESULTS}")
    parser.add_argument("--no-tester", action="store_true", help="skip the tester benchmark")
    parser.add_argument("--no-detections", action="store_true", help="skip the detection rows")
    args = parser.parse_args()
    size = beds.SMOKE if args.smoke else beds.FULL
    out = args.out or (Path(tempfile.mkdtemp()) / "results.md" if args.smoke else RESULTS)
    with tempfile.TemporaryDirectory(prefix="symbl-bench-") as tmp, Stack(Path(tmp)) as stack:
        bed = beds.Bed(Path(tmp), size, stack, free_port(), {})
        rows, notes = run(bed, targets=not args.smoke)
    text = markdown(
        rows, title="`make bench` results" + (" (smoke)" if args.smoke else ""), notes=notes
    )
    write(out, text)
    print(plain(rows))
    print("\n".join(notes))
    print(f"\nWritten to {out}")
    failed = any(row.passed is False for row in rows)
    if not args.smoke and not args.no_tester:
        tester = subprocess.run([sys.executable, "-m", "benchmarks.tester"], check=False)
        failed |= tester.returncode != 0
    if not args.smoke and not args.no_detections:
        detections = subprocess.run([sys.executable, "-m", "benchmarks.detections"], check=False)
        failed |= detections.returncode != 0
    return 1 if failed else 0


def _client(bed: beds.Bed):
    """This process's own Management API client (the raw GETs), configured like the sites."""
    os.environ.update(beds.client_env(bed.folder, f"http://127.0.0.1:{bed.api_port}"))
    import django

    django.setup()
    from symbl_admin.management_api import get_client

    return get_client()


def run(bed: beds.Bed, *, targets: bool) -> tuple[list[Row], list[str]]:
    size = bed.size
    step = _progress()
    bed.seed_conversations()
    step(f"{size.conversations:,} conversations × {size.messages} messages written")
    api_server = bed.start_api()
    client = _client(bed)
    bed.fill_api(client)
    step(
        f"Management API filled: {size.trackers} trackers × {size.phrases} phrases, {size.groups} groups"
    )
    bed.prepare_sites()
    step(
        f"dashboard databases ready ({size.audit:,} and {size.audit_small} audit entries), admin filled"
    )
    token = client.transport.token()
    import requests

    raw = requests.Session()
    raw.headers["Authorization"] = f"Bearer {token}"
    list_url = f"{api_server.url}/v1/manage/trackers"
    bed.start_sites(raw.get(list_url, timeout=30).content)
    dash = Browser(bed.servers["dashboard"].url, "/accounts/login/", beds.USER, beds.PASSWORD)
    small = Browser(
        bed.servers["dashboard-small"].url, "/accounts/login/", beds.USER, beds.PASSWORD
    )
    off = Browser(bed.servers["dashboard-off"].url, "/accounts/login/", beds.USER, beds.PASSWORD)
    admin = Browser(bed.servers["admin"].url, "/admin/login/", "bench", beds.PASSWORD)
    floor = requests.Session()
    step("servers up, signed in")

    # The raw GETs read the whole list every time (what any client pays to read it); the
    # dashboard's own client keeps its last list and asks If-None-Match (one call, a 304).
    client.trackers.keep = client.groups.keep = False
    tracker = client.trackers.list()[0]
    group = client.groups.list()[0]
    group_word = group.name.split()[-1]

    def raw_get(url):
        def go():
            response = raw.get(url, timeout=30)
            assert response.status_code == 200
            return response.content

        return go

    def floor_get():
        assert floor.get(bed.servers["floor"].url + "/", timeout=30).status_code == 200

    partial = {"HX-Request": "true", "HX-Target": "tracker-table"}
    changed = client.trackers.list()[1]  # another client changes it before the in-use rows
    turn = iter(range(10**9))

    def change_one() -> None:
        """Another Management API client changes one tracker (a new phrase each time)."""
        phrases = [*changed.vocabulary[:-1], f"changed outside {next(turn)}"]
        client.trackers.update(changed.id, name=changed.name, vocabulary=phrases)

    def sign_in() -> None:
        """Someone signs in to the dashboard (an audit entry, a new session)."""
        Browser(bed.servers["dashboard"].url, "/accounts/login/", beds.USER, beds.PASSWORD)

    probes = {
        "t_list": dash.probe("/trackers/?per_page=50", expect="tracker-row-"),
        # The same page again, as a measure of its own: how far two measures of one page
        # fall apart in this run (the resolution of the ratios between near-equal pages).
        "t_list_again": dash.probe("/trackers/?per_page=50", expect="tracker-row-"),
        "t_raw": client.trackers.list,
        "t_admin": admin.probe("/admin/admin_site/tracker/", expect="result_list"),
        "t_search": dash.probe(
            f"/trackers/?per_page=50&q={quote_plus(data.SEARCH)}", expect="tracker-table"
        ),
        # Every cache off (DASHBOARD_CACHES=off): the same database and Management API.
        "t_list_off": off.probe("/trackers/?per_page=50", expect="tracker-row-"),
        "t_search_off": off.probe(
            f"/trackers/?per_page=50&q={quote_plus(data.SEARCH)}", expect="tracker-table"
        ),
        # The account in use: each measured right after someone else's change or sign-in.
        "t_list_changed": after(change_one, dash.probe("/trackers/?per_page=50")),
        "t_list_signin": after(sign_in, dash.probe("/trackers/?per_page=50")),
        "t_detail_changed": after(change_one, dash.probe(f"/trackers/{changed.id}/")),
        "t_raw_changed": lambda: client.trackers.get(changed.id),
        "review_changed": after(change_one, dash.probe("/review/")),
        "t_detail": dash.probe(f"/trackers/{tracker.id}/", expect=tracker.id),
        "t_raw_one": lambda: client.trackers.get(tracker.id),
        "t_partial": dash.probe("/trackers/?per_page=50", expect="tracker-row-", **partial),
        "g_list": dash.probe("/groups/?per_page=50", expect="group-row-"),
        "g_raw": client.groups.list,
        "g_admin": admin.probe("/admin/admin_site/group/", expect="result_list"),
        "g_search": dash.probe(f"/groups/?per_page=50&q={group_word}", expect="group-row-"),
        "g_detail": dash.probe(f"/groups/{group.id}/", expect=group.id),
        "g_raw_one": lambda: client.groups.get(group.id),
        "review": dash.probe("/review/"),
        "quality": dash.probe("/review/quality/", expect="quality-selections"),
        "server_list": raw_get(list_url),
        "floor": floor_get,
        "audit_big": dash.probe("/audit/"),
        "audit_small": small.probe("/audit/"),
    }
    body = probes["t_partial"]()
    assert "<html" not in body, "the htmx partial carries the whole layout"
    warmed = len(log_lines(bed.access_log))
    # The account at rest first (every existing row, and the cache-off rows), then in use:
    # each in-use measure right after someone else's change or sign-in, beside its own raw
    # references, so the changes of the second phase never fall on the first's pages.
    in_use = {name: probes.pop(name) for name in IN_USE}
    in_use.update(t_raw_use=probes["t_raw"], t_list_use=probes["t_list"])
    in_use["t_raw_changed"] = probes.pop("t_raw_changed")
    s = interleaved(probes, size.rounds, step)
    step(f"{size.rounds} interleaved rounds of {len(probes)} measures, the account at rest")
    s.update(interleaved(in_use, size.rounds, step))
    step(f"{size.rounds} interleaved rounds of {len(in_use)} measures, the account in use")

    hits = probes["t_search"]().count('id="tracker-row-')
    calls = {
        name: upstream_calls(bed.access_log, probes[name])
        for name in ("t_list", "t_detail", "g_list", "g_detail")
    }
    rates = {
        "ours": wrk_rate(
            dash.base_url + "/trackers/?per_page=50", dash.cookie_header(), seconds=size.wrk_seconds
        ),
        "admin": wrk_rate(
            admin.base_url + "/admin/admin_site/tracker/",
            admin.cookie_header(),
            seconds=size.wrk_seconds,
        ),
    }
    step("wrk done" if rates["ours"] else "wrk not installed: throughput not measured")
    memory = _memory(bed, dash, probes, size.mixed)
    step(f"{size.mixed} mixed requests, then the audit CSV export")
    token_calls = [line for line in log_lines(bed.access_log)[warmed:] if beds.API_LOGIN in line]

    def r(a, b):
        return s[a].median / s[b].median

    def both(a, b):
        return f"{a} {s[a]}; {b} {s[b]}"

    t = (lambda value: value) if targets else (lambda value: None)

    def ratio(measure: str, a: str, b: str, target: float, note: str = "") -> Row:
        return Row(measure, s[a].median / s[b].median, t(target), detail=note + both(a, b))

    rows = [
        ratio("trackers list page / raw client GET of all trackers", "t_list", "t_raw", 2.0),
        ratio("trackers list page / Django admin changelist", "t_list", "t_admin", 0.5),
        wrk_row(rates, t(1.8), size.wrk_seconds),
        ratio(
            "trackers list page, every cache off / raw client GET of all trackers",
            "t_list_off",
            "t_raw",
            1.6,
        ),
        ratio(
            "trackers list page, every cache off / Django admin changelist",
            "t_list_off",
            "t_admin",
            0.8,
        ),
        ratio(
            "search over all phrases, every cache off / list page, every cache off",
            "t_search_off",
            "t_list_off",
            2.0,
            f"“{data.SEARCH}”: {hits} rows; ",
        ),
        ratio(
            "trackers list page right after another client changed one tracker / raw GET of all",
            "t_list_changed",
            "t_raw_use",
            1.6,
        ),
        ratio(
            "trackers list page right after another user signed in / the same page, nothing changed",
            "t_list_signin",
            "t_list_use",
            1.2,
        ),
        ratio(
            "tracker detail right after that tracker changed / raw GET of that tracker",
            "t_detail_changed",
            "t_raw_changed",
            4.0,
        ),
        ratio(
            "review queue right after a change to one of its objects / raw GET of all trackers",
            "review_changed",
            "t_raw_use",
            3.0,
        ),
        ratio("tracker detail page / raw client GET of one tracker", "t_detail", "t_raw_one", 3.0),
        ratio("groups list page / raw client GET of all groups", "g_list", "g_raw", 2.0),
        ratio("groups list page / Django admin changelist", "g_list", "g_admin", 0.5),
        ratio("groups search / list page", "g_search", "g_list", 1.0),
        ratio("group detail page / raw client GET of one group", "g_detail", "g_raw_one", 3.0),
        ratio("review queue / trackers list page", "review", "t_list", 2.0),
        ratio("quality report / trackers list page", "quality", "t_list", 2.0),
        ratio(
            "server GET of all trackers / static JSON of the same bytes",
            "server_list",
            "floor",
            1.5,
        ),
        Row(
            "upstream calls per list or detail page view (most seen)",
            max(len(lines) for lines in calls.values()),
            t(1.0),
            detail=", ".join(f"{k}: {len(v)}" for k, v in calls.items()),
            digits=0,
        ),
        Row(
            "token calls after warm-up",
            len(token_calls),
            t(0.0),
            detail=f"over {len(log_lines(bed.access_log)) - warmed:,} upstream requests",
            digits=0,
        ),
        Row(
            "trackers list page / the same page measured again (this run's resolution)",
            r("t_list_again", "t_list"),
            None,
            detail=both("t_list_again", "t_list"),
        ),
        Row(
            f"RSS of one dashboard worker after {size.mixed:,} mixed requests",
            memory["rss"],
            t(120.0),
            unit=" MB",
            digits=0,
            detail=memory["rss_detail"],
        ),
        Row(
            f"its growth from request {size.mixed // 2:,} to {size.mixed:,}",
            memory["growth"],
            t(2.0),
            unit=" MB",
            digits=0,
        ),
        ratio(
            f"audit log first page at {size.audit:,} entries / at {size.audit_small}",
            "audit_big",
            "audit_small",
            1.5,
        ),
        Row(
            f"CSV export of {size.audit:,} audit entries: worker RSS growth",
            memory["export"],
            t(20.0),
            unit=" MB",
            digits=0,
            detail=memory["export_detail"],
        ),
        spreadsheet.row(bed.servers["dashboard"], dash, size.audit, t(15.0)),
    ]
    # Last: the conversation rows make a group and import conversations (audited).
    talk = conversations.measure(
        bed, client=client, raw=raw, api_url=api_server.url, dash=dash, step=step, targets=targets
    )
    rows += talk[0]
    notes = [*cache_layers.report(bed), *talk[1]]
    notes += [
        f"Sizes: {size.trackers} trackers × {size.phrases} phrases (every later field filled), "
        f"{size.groups} groups, {size.audit:,} audit entries; every server a gunicorn on loopback "
        "(the dashboard with `make run`'s options: 2 workers × 4 threads, production settings).",
        "Medians of interleaved single requests over keep-alive connections; raw client GETs "
        "through the dashboard's own Management API client in the bench process, reading the "
        "whole list each time (the dashboard's client keeps its last list and revalidates it "
        "with If-None-Match: still one upstream call per page, answered 304 when unchanged).",
    ]
    return rows, notes


def _memory(bed: beds.Bed, dash: Browser, probes: dict, mixed: int) -> dict:
    """RSS of the dashboard's workers over `mixed` requests on one keep-alive connection
    (one worker serves it), then the peak a streamed audit CSV export adds."""
    server = bed.servers["dashboard"]
    mix = [
        "t_list",
        "t_search",
        "t_detail",
        "t_partial",
        "g_list",
        "g_search",
        "g_detail",
        "review",
        "quality",
        "audit_big",
    ]
    readings: dict[int, dict[int, int]] = {}
    for i in range(1, mixed + 1):
        probes[mix[i % len(mix)]]()
        if i in (mixed // 2, mixed):
            readings[i] = {pid: status_kb(pid, "VmRSS") for pid in server.workers()}
    half, full = readings[mixed // 2], readings[mixed]
    busiest = max(full, key=lambda pid: full[pid] - half.get(pid, full[pid]) + full[pid] / 1e6)
    rss = max(full.values()) / 1024
    growth = (full[busiest] - half.get(busiest, full[busiest])) / 1024
    before = peaks_reset(server)
    started = time.perf_counter()
    response = dash.http.get(dash.base_url + "/audit/export.csv", stream=True, timeout=600)
    assert response.status_code == 200, response.status_code
    lines = sum(chunk.count(b"\n") for chunk in response.iter_content(65536))
    seconds = time.perf_counter() - started
    peaks = {pid: status_kb(pid, "VmHWM") - before[pid] for pid in before}
    return {
        "rss": rss,
        "rss_detail": "workers' RSS: " + ", ".join(f"{kb / 1024:.1f} MB" for kb in full.values()),
        "growth": growth,
        "export": max(peaks.values()) / 1024,
        "export_detail": f"{lines:,} lines in {seconds:.1f} s",
    }


def _progress():
    started = time.monotonic()

    def step(message: str) -> None:
        print(f"[{time.monotonic() - started:6.1f} s] {message}", flush=True)

    return step


if __name__ == "__main__":
    sys.exit(main())
