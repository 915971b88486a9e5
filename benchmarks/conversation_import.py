"""`make bench`'s import rows: N conversations imported through the measured dashboard's
import page as a browser with JavaScript does it (conversations/import_views.py): one preview
POST of N `.txt` transcripts and a metadata CSV (5 keys each), then the htmx steps that send
20 conversations each, then the progress refreshes until every job finished on the server.

Throughput: conversations per second from the preview to the last job completed (and the
sending alone). Memory: each dashboard worker's peak RSS over the import, less its RSS before
(VmHWM after a reset, as the export rows measure), the largest of the workers; measured after
a first import of WARM_UP (its own growth, a cold worker's, is printed beside).
"""

from __future__ import annotations

import re
import time

from benchmarks.measure import Browser
from benchmarks.report import Row
from benchmarks.stack import Server, peaks_reset, status_kb

PAGE = "/conversations/import/"
WAIT_SECONDS = 600  # for the server's jobs to finish
WARM_UP = 5  # conversations imported first, not measured
SPEAKERS = ("Agent", "Customer")
SAID = (
    "Hello, thanks for calling about your order.",
    "My delivery is late and I would like a refund.",
    "I can check that for you right now.",
    "The parcel left our warehouse on Monday.",
)


def upload(count: int, messages: int, prefix: str = "Imported call") -> tuple[list, tuple]:
    """N transcripts (`Speaker: text` lines) and the metadata CSV naming them."""
    files, lines = [], ["conversation,key,value"]
    for n in range(count):
        name = f"{prefix} {n:04}"
        text = "\n".join(f"{SPEAKERS[m % 2]}: {SAID[(n + m) % len(SAID)]}" for m in range(messages))
        files.append(("files", (f"{name}.txt", text.encode(), "text/plain")))
        metadata = {
            "agentId": f"importer{n % 20}",
            "callType": ("sales", "support")[n % 2],
            "customerId": str(900_000 + n),
            "region": "north",
            "score": str(n % 100),
        }
        lines += [f"{name},{key},{value}" for key, value in metadata.items()]
    meta = ("metadata", ("metadata.csv", "\n".join(lines).encode(), "text/csv"))
    return files, meta


def _token(dash: Browser) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', dash.get(PAGE).text)
    assert found, "no CSRF token on the import page"
    return found.group(1)


def _post(dash: Browser, csrf: str, data: dict, files=None) -> str:
    response = dash.http.post(
        dash.base_url + PAGE,
        data={"csrfmiddlewaretoken": csrf, **data},
        files=files,
        headers={"HX-Request": "true", "HX-Target": "import-area", "Referer": dash.base_url},
        timeout=120,
    )
    assert response.status_code == 200, (response.status_code, response.text[:300])
    return response.text


def run(server: Server, dash: Browser, count: int, messages: int) -> dict:
    """Import `count` conversations of `messages` lines, after a first import of WARM_UP on
    the same worker (what a worker's first import loads once, as the RSS rows of the other
    pages measure after their first half); the timings and the memory of both."""
    cold = _import(server, dash, WARM_UP, messages, "Warm-up call")
    return {**_import(server, dash, count, messages, "Imported call"), "cold": cold["growth"]}


def _import(server: Server, dash: Browser, count: int, messages: int, prefix: str) -> dict:
    files, meta = upload(count, messages, prefix)
    csrf = _token(dash)
    before = peaks_reset(server)
    started = time.perf_counter()
    preview = _post(dash, csrf, {"step": "preview"}, files=[*files, meta])
    token = re.search(r'name="token" value="([0-9a-f]{32})"', preview)
    assert token, "the preview gave no import to confirm: " + re.sub(r"\s+", " ", preview)[:500]
    previewed = time.perf_counter()
    steps = 0
    while True:
        steps += 1
        body = _post(dash, csrf, {"step": "run", "token": token.group(1)})
        if 'hx-trigger="load' not in body:  # no next step asked for: all sent
            break
    sent = time.perf_counter()
    progress = f"{PAGE}{token.group(1)}/"
    while "Import finished" not in body:
        assert time.perf_counter() - sent < WAIT_SECONDS, "the import's jobs did not finish"
        time.sleep(0.2)
        body = dash.get(progress, **{"HX-Request": "true"}).text
    done = time.perf_counter()
    status = re.sub(
        r"<[^>]+>", "", re.search(r'class="import-status"[^>]*>(.*?)</p>', body).group(1)
    )
    assert f"{count} completed" in status and "0 failed" in status, status
    peaks = {pid: status_kb(pid, "VmHWM") - before[pid] for pid in before}
    ends = {pid: status_kb(pid, "VmRSS") - before[pid] for pid in before}
    return {
        "preview": previewed - started,
        "send": sent - previewed,
        "total": done - started,
        "steps": steps,
        "growth": max(peaks.values()) / 1024,
        "kept": max(ends.values()) / 1024,
        "status": status.strip(),
    }


def rows(got: dict, count: int, target: float | None) -> list[Row]:
    return [
        Row(
            f"import of {count:,} conversations through the dashboard: conversations/s",
            count / got["total"],
            None,
            detail=(
                f"preview {got['preview']:.1f} s; sending {got['send']:.1f} s in {got['steps']} "
                f"htmx steps ({count / got['send']:.0f}/s); every job done after "
                f"{got['total']:.1f} s; “{got['status']}”"
            ),
        ),
        Row(
            f"import of {count:,} conversations: dashboard worker RSS growth",
            got["growth"],
            target,
            unit=" MB",
            digits=0,
            detail=(
                f"peak over RSS before, the largest of the workers; RSS after: "
                f"+{got['kept']:.1f} MB; the first import ({WARM_UP}, before it): "
                f"+{got['cold']:.1f} MB"
            ),
        ),
    ]
