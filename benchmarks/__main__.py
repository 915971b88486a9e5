"""`make bench`: measure the hot paths against their targets; exit 1 if one is missed.

Runs against the embedded Management API in a throwaway var/ dir (tests.settings), so it
needs nothing running and leaves nothing behind.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import tracemalloc

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

# (name, target median ms)
TARGETS = {
    "trackers list page, 500 trackers × 50 phrases": 80.0,
    "trackers list search (htmx partial)": 80.0,
    "tracker detail page": 40.0,
    "raw GET /v1/manage/trackers through the client": 40.0,
    "audit log first page, 20,000 entries": 60.0,
}
MEMORY_TARGET_MB = 64.0


def _median_ms(fn, runs: int = 15) -> float:
    fn()  # warm up caches and connections
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> int:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from symbl_admin.audit.services import AuditContext, audit_complete_many, audit_record_many
    from symbl_admin.management_api import get_client

    user = get_user_model().objects.create_user("bench", password="bench-pass-1")
    user.groups.add(Group.objects.get(name="Team lead"))
    web = Client()
    web.force_login(user)

    api = get_client()
    for start in range(0, 500, 50):
        api.trackers.bulk_create(
            [
                {
                    "name": f"Tracker {i:03}",
                    "vocabulary": [f"phrase {i} number {j}" for j in range(50)],
                }
                for i in range(start, start + 50)
            ]
        )
    one = api.trackers.list()[0]

    ctx = AuditContext.system("bench")
    for start in range(0, 20_000, 1000):
        entries = audit_record_many(
            ctx=ctx,
            action="update",
            object_type="tracker",
            items=[
                {"object_id": str(i), "object_name": f"T{i}", "after": {"name": f"T{i}"}}
                for i in range(start, start + 1000)
            ],
        )
        audit_complete_many(entries, outcome="success", status=200)

    def page(path, **headers):
        def run():
            response = web.get(path, **headers)
            assert response.status_code == 200, (path, response.status_code)

        return run

    results = {
        "trackers list page, 500 trackers × 50 phrases": _median_ms(page("/trackers/?per_page=50")),
        "trackers list search (htmx partial)": _median_ms(
            page("/trackers/?q=number+7", HTTP_HX_REQUEST="true")
        ),
        "tracker detail page": _median_ms(page(f"/trackers/{one.id}/")),
        "raw GET /v1/manage/trackers through the client": _median_ms(api.trackers.list),
        "audit log first page, 20,000 entries": _median_ms(page("/audit/")),
    }

    tracemalloc.start()
    page("/trackers/?per_page=100")()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak_mb = peak / 1024 / 1024

    failed = False
    print(f"{'benchmark':<52} {'median ms':>10} {'target':>8}")
    for name, value in results.items():
        ok = value <= TARGETS[name]
        failed |= not ok
        print(f"{name:<52} {value:>10.1f} {TARGETS[name]:>8.0f}  {'ok' if ok else 'MISSED'}")
    ok = peak_mb <= MEMORY_TARGET_MB
    failed |= not ok
    print(
        f"{'peak Python memory, list page of 100 (MB)':<52} {peak_mb:>10.1f} {MEMORY_TARGET_MB:>8.0f}  {'ok' if ok else 'MISSED'}"
    )
    # The tracker tester in its own process: a cold model and its own memory figure.
    import subprocess

    failed |= (
        subprocess.run([sys.executable, "-m", "benchmarks.tester"], check=False).returncode != 0
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
