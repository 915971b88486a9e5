"""`make bench`, tracker detection (issue 25), over the detection bed (benchmarks/detection_bed.py,
built once and kept): run in its own process after the other rows, or alone:

    python -m benchmarks.detections                 # the full bed (2,000 × 40 messages)
    python -m benchmarks.detections --size quick    # 500 × 40, the same shape
    python -m benchmarks.detections --size smoke    # tiny, no targets

The rows:
- embedding throughput: a fresh sample of generated sentences (8-20 words) through the
  server's own encode_messages in this process, messages/s; the bed's build figure beside it;
- a tracker's phrases changed (PUT over HTTP) until its rescore job is completed (GET
  .../rescores): every stored detection of it is then current; the first change loads the
  model in the server's worker (said apart), the figure is the median of the later ones;
- the impact preview of a draft (PREVIEW below), only when the server has that route;
- the dashboard's conversation page (gunicorn, make run's options) / the raw GET of its
  messages, medians of interleaved rounds;
- stored vectors: bytes in message_vectors / units × 384 × 4 (float32);
- the memory holding them while scored: one rescore batch's stored bytes plus the peak that
  scoring them allocates (tracemalloc: candidates.detect_rows, as a rescore job scores a
  batch), over the stored bytes;
- the model never loaded by pages that only show stored detections: no onnxruntime library
  mapped (/proc/PID/maps) in any dashboard worker after its pages, nor in the server after
  it served stored detections; the server's worker maps it once a rescore needs it (the
  control: the check sees a load).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from benchmarks import bed as beds
from benchmarks import detection_bed
from benchmarks.data import WORDS
from benchmarks.measure import Browser, interleaved
from benchmarks.report import Row, plain
from benchmarks.stack import ROOT, Server, Stack, free_port, gunicorn_argv

# The impact preview (local_api/tracker_preview.py): (method, path, body from the tracker
# and the draft phrases), compared with the saved tracker; a server without it: "not built".
PREVIEW = (
    "POST",
    "/v1/x/trackers/preview",
    lambda t, phrases: {"trackerId": t["id"], "vocabulary": phrases},
)
SAMPLES = {"full": 2000, "quick": 500, "smoke": 20}  # fresh sentences embedded per run
ROUNDS = {"full": 50, "quick": 30, "smoke": 3}
CHANGES = 3  # warm rescores measured after the first (cold) one
MODEL_LIBRARY = "onnxruntime"


def model_mapped(pid: int) -> bool:
    """Whether the process has the model's runtime library mapped (it loads it lazily, only
    to embed: symbl_admin/embedding.py)."""
    return MODEL_LIBRARY in Path(f"/proc/{pid}/maps").read_text()


def _sentences(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize() + "."
        for _ in range(count)
    ]


def throughput(count: int) -> tuple[float, str]:
    """Messages/s through encode_messages on `count` sentences never embedded before here."""
    from local_api.detection import encode_messages
    from symbl_admin.embedding import get_encoder

    get_encoder()
    texts = _sentences(count, seed=int(time.time()))
    started = time.perf_counter()
    vectors = encode_messages(texts)
    seconds = time.perf_counter() - started
    units = sum(len(v) for v in vectors)
    return count / seconds, f"{count:,} messages ({units:,} units) in {seconds:.1f} s"


def batch_memory(store_path: Path) -> tuple[float, str]:
    """(stored bytes + peak allocated while scoring) / stored bytes, for one rescore batch."""
    from local_api import candidates, detection, rescore
    from local_api.store import open_store

    store = open_store(store_path)
    engines = detection.account_trackers(store)[:1]
    detection.PHRASES.vectors(engines, lambda: None)  # the phrases: not the vectors' memory
    rows = (
        store._read()
        .execute(
            "SELECT v.units, v.vectors, m.text FROM message_vectors v JOIN messages m "
            "ON m.seq = v.message_seq WHERE v.all_trackers = 1 ORDER BY v.message_seq LIMIT ?",
            (rescore.BATCH,),
        )
        .fetchall()
    )
    stored = sum(len(row["vectors"]) for row in rows)
    tracemalloc.start()
    candidates.detect_rows(rows, engines)  # what a rescore job does with a batch
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    note = (
        f"one rescore batch: {len(rows):,} messages, {stored / 1e6:.2f} MB stored; scoring them "
        f"allocated at most {peak / 1e6:.2f} MB more (tracemalloc)"
    )
    return (stored + peak) / stored, note


def _detected_as_built(path: Path) -> None:
    """The rescore cursor at the trackers' current revision: the bed's detections were made
    with these trackers (else the server would re-score all of them as it starts)."""
    from local_api import rescore
    from local_api.conversation_store import ConversationStore
    from local_api.store import open_store

    store = open_store(path)
    ConversationStore.of(store)
    with store.transaction() as db:
        db.execute("DELETE FROM rescore_cursor WHERE name = 'trackers'")
        db.execute(
            "INSERT INTO rescore_cursor (name, epoch, n) VALUES ('trackers', ?, ?)",
            rescore._revision(db),
        )


class Api:
    """The bench's raw HTTP to the Management API server, with its own token."""

    def __init__(self, url: str) -> None:
        import requests

        from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET

        self.url, self.http = url, requests.Session()
        answer = self.http.post(
            f"{url}/oauth2/token:generate",
            json={"type": "application", "appId": LOCAL_APP_ID, "appSecret": LOCAL_APP_SECRET},
            timeout=30,
        )
        self.http.headers["Authorization"] = f"Bearer {answer.json()['accessToken']}"

    def get(self, path: str, **params: str):
        response = self.http.get(self.url + path, params=params, timeout=60)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        return response

    def change(self, tracker: dict, n: int) -> float:
        """Seconds from the PUT of new phrases until the tracker's rescore job is completed."""
        path = f"/v1/x/trackers/{tracker['id']}/rescores"
        before = {job["id"] for job in self.get(path).json()["rescores"]}
        phrases = [*tracker["vocabulary"][:-1], f"{tracker['vocabulary'][-1]} {WORDS[n]}"]
        started = time.perf_counter()
        response = self.http.put(
            f"{self.url}/v1/manage/tracker/{tracker['id']}",
            json={"name": tracker["name"], "vocabulary": phrases},
            timeout=60,
        )
        assert response.status_code == 200, response.text[:300]
        deadline = started + 300
        while time.perf_counter() < deadline:
            jobs = [j for j in self.get(path).json()["rescores"] if j["id"] not in before]
            if jobs and all(j["status"] == "completed" for j in jobs):
                return time.perf_counter() - started
            assert not any(j["status"] == "failed" for j in jobs), jobs
            time.sleep(0.02)
        raise AssertionError("the rescore did not complete within 300 s")


def _route_offered(method: str, path: str) -> bool:
    from local_api.plumbing import ApiError
    from local_api.routes import find_route

    try:
        find_route(method, path)
    except ApiError:
        return False
    return True


def _preview(api: Api, tracker: dict, targets: bool) -> Row:
    measure = "impact preview of a draft tracker across stored conversations: s"
    method, path, body = PREVIEW
    if not _route_offered(method, path):
        return Row(measure, None, None, detail=f"not built: the server has no {method} {path}")
    draft = [*tracker["vocabulary"], "a phrase nobody says"]
    times = []
    for _ in range(3):
        started = time.perf_counter()
        answer = api.http.request(method, api.url + path, json=body(tracker, draft), timeout=120)
        times.append(time.perf_counter() - started)
        assert answer.status_code == 200, answer.text[:300]
    return Row(
        measure,
        statistics.median(times),
        2.0 if targets else None,
        unit=" s",
        detail="3 previews: " + ", ".join(f"{t:.2f} s" for t in times),
    )


def _dashboard(stack: Stack, folder: Path, api_url: str) -> Server:
    """One dashboard on the server: production settings, make run's gunicorn options."""
    env = beds.clean_env(
        DJANGO_SETTINGS_MODULE="symbl_admin.settings",
        SYMBL_VAR_DIR=str(folder / "dashboard"),
        SYMBL_API_BASE_URL=api_url,
        DJANGO_HTTPS="0",
    )
    (folder / "dashboard").mkdir()
    objects = folder / "objects.json"
    objects.write_text(json.dumps({"trackers": [], "groups": []}))  # no writes: no rescores
    prepare = ["-m", "benchmarks.prepare", "--audit", "0", "--password", beds.PASSWORD]
    for argv in (
        ["manage.py", "collectstatic", "--noinput", "-v", "0"],
        [*prepare, "--objects", str(objects)],
    ):
        subprocess.run([sys.executable, *argv], env=env, cwd=ROOT, check=True)
    port = free_port()
    argv = gunicorn_argv("symbl_admin.wsgi:application", port, workers=2, threads=4)
    return stack.start("dashboard", argv, env, port=port, ready="/healthz")


def run(size_name: str, folder: Path, say) -> tuple[list[Row], list[str]]:
    size = detection_bed.SIZES[size_name]
    targets = size_name != "smoke"
    t = (lambda value: value) if targets else (lambda value: None)
    cached = detection_bed.ensure(size, say)
    built = json.loads((cached / "bed.json").read_text())
    store = folder / "api.sqlite3"
    with sqlite3.connect(cached / detection_bed.STORE) as source, sqlite3.connect(store) as copy:
        source.backup(copy)  # with what its write-ahead log still holds
    _detected_as_built(store)
    rate, rate_note = throughput(SAMPLES[size_name])
    say(f"embedding throughput: {rate:.1f} messages/s")
    ratio_held, held_note = batch_memory(store)
    with Stack(folder) as stack:
        port = free_port()
        argv = [sys.executable, str(ROOT / "manage.py"), "run_management_api"]
        argv += ["--port", str(port), "--data", str(store)]
        env = beds.clean_env(
            DJANGO_SETTINGS_MODULE="symbl_admin.settings", SYMBL_VAR_DIR=str(folder / "api-var")
        )
        server = stack.start("api", argv, env, port=port, ready="/healthz")
        api = Api(server.url)
        dashboard = _dashboard(stack, folder, server.url)
        say("servers up")
        from local_api.store import open_store

        read = open_store(store)._read()
        trackers = api.get("/v1/manage/trackers").json()["trackers"]
        busiest = read.execute(
            "SELECT c.id FROM detections d JOIN conversations c ON c.seq = d.conversation_seq "
            "WHERE d.inline = 0 GROUP BY c.id ORDER BY COUNT(*) DESC, c.id LIMIT 1"
        ).fetchone()["id"]
        shown = read.execute(
            "SELECT COUNT(*) AS n FROM detections d JOIN conversations c ON "
            "c.seq = d.conversation_seq WHERE c.id = ?",
            (busiest,),
        ).fetchone()["n"]
        dash = Browser(dashboard.url, "/accounts/login/", beds.USER, beds.PASSWORD)
        probes = {
            "page": dash.probe(f"/conversations/{busiest}/", expect="</html>"),
            "raw": lambda: api.get(f"/v1/conversations/{busiest}/messages").content,
        }
        marks = str(probes["page"]()).count("<mark")  # highlights on the page, if it has them
        s = interleaved(probes, ROUNDS[size_name], say)
        # Pages showing stored detections only; then the model check, before any rescore.
        for path in (f"/trackers/{trackers[0]['id']}/", "/review/quality/trackers/?last=2000"):
            dash.get(path)
        for path in (f"/v1/conversations/{busiest}/trackers-detected", "/v1/x/trackers/quality"):
            api.get(path)
        api.get(f"/v1/x/trackers/{trackers[0]['id']}/hits")
        dash_pids = dashboard.workers()
        api_pids = server.workers() or [server.process.pid]  # gunicorn's workers, else itself
        loaded_dash = [pid for pid in dash_pids if model_mapped(pid)]
        loaded_api = [pid for pid in api_pids if model_mapped(pid)]
        say("conversation page measured; model check done")
        cold = api.change(trackers[0], 0)
        warm = [api.change(trackers[0], n) for n in range(1, CHANGES + 1)]
        control = [pid for pid in api_pids if model_mapped(pid)]
        say(f"rescores: cold {cold:.2f} s, warm {warm}")
        preview = _preview(api, trackers[1], targets)
    vectors = read.execute(
        "SELECT COUNT(*) AS n, SUM(units) AS units, SUM(LENGTH(vectors)) AS bytes FROM message_vectors"
    ).fetchone()
    float32 = vectors["units"] * 384 * 4
    messages = f"{vectors['n']:,} messages"
    rows = [
        Row(
            f"embedding throughput ({size_name} bed's sentences, 8-20 words): messages/s",
            rate,
            None,
            unit="/s",
            detail=f"{rate_note}; the bed's {built['messages']:,} when it was built: "
            f"{built['messages'] / built['embedding_seconds']:.1f}/s",
        ),
        Row(
            f"a tracker's phrases changed → all its detections on {messages} current: s",
            statistics.median(warm),
            t(5.0),
            unit=" s",
            detail="PUT until its rescore job completed; later changes: "
            + ", ".join(f"{w:.2f} s" for w in warm)
            + f"; the first {cold:.2f} s (the server's worker loading the model)",
        ),
        preview,
        Row(
            "conversation page (the one with most detections) / raw GET of its messages",
            s["page"].median / s["raw"].median,
            t(3.0),
            detail=f"{shown} detections stored for it, {marks} <mark> on the page; "
            f"page {s['page']}; raw {s['raw']}",
        ),
        Row(
            "stored vectors / their float32 size",
            vectors["bytes"] / float32,
            t(0.5),
            detail=f"{vectors['bytes'] / 1e6:.1f} MB for {vectors['units']:,} units × 384 "
            f"({float32 / 1e6:.1f} MB as float32)",
        ),
        Row(
            "memory holding a rescore batch's vectors while scored / their stored bytes",
            ratio_held,
            t(1.2),
            detail=held_note,
        ),
        Row(
            "pages showing stored detections that loaded the model (processes)",
            float(len(loaded_dash) + len(loaded_api)) if control else None,
            t(0.0),
            digits=0,
            detail=f"{MODEL_LIBRARY} mapped after their pages in {len(loaded_dash)} of "
            f"{len(dash_pids)} dashboard workers and {len(loaded_api)} of {len(api_pids)} server "
            "processes (conversation page, tracker page, quality section; trackers-detected, "
            "hits, quality); mapped in the server once its worker re-scored (the control): "
            f"{'yes' if control else 'NO, so the check is blind'}",
        ),
    ]
    notes = [
        f"Detection bed ({size_name}): {size.conversations:,} conversations × {size.messages} "
        f"sentence-messages of 8-20 words, {size.trackers} trackers × {size.phrases} phrases, "
        f"{built['detections']:,} detections, kept in {cached.name} (built in "
        f"{built['built_in_seconds']:.0f} s)."
    ]
    return rows, notes


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=sorted(detection_bed.SIZES), default="full")
    args = parser.parse_args()
    started = time.monotonic()

    def say(message: str) -> None:
        print(f"[{time.monotonic() - started:6.1f} s] {message}", flush=True)

    with tempfile.TemporaryDirectory(prefix="symbl-bench-detect-") as tmp:
        rows, notes = run(args.size, Path(tmp), say)
    print(plain(rows))
    print("\n".join(notes))
    return 1 if any(row.passed is False for row in rows) else 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    sys.exit(main())
