"""What each cache layer of the measured dashboard did over the run (symbl_admin/caching)."""

from __future__ import annotations

import json
import os
import signal

from benchmarks import bed as beds


def report(bed: beds.Bed) -> list[str]:
    """Each cache layer's hits, misses and memory in the measured dashboard's workers, read
    from what they write as they stop (symbl_admin/caching/store.py)."""
    server = bed.servers["dashboard"]
    os.killpg(server.process.pid, signal.SIGTERM)
    server.process.wait(timeout=30)
    totals: dict[str, dict] = {}
    for path in bed.cache_stats.glob("*.json"):
        for layer in json.loads(path.read_text()):
            seen = totals.setdefault(
                layer["layer"], {"hits": 0, "misses": 0, "bytes": 0, "on": layer["on"]}
            )
            for key in ("hits", "misses", "bytes"):
                seen[key] += layer[key]
    lines = [
        f"Cache layers of the measured dashboard (DASHBOARD_CACHES={bed.caches}), both workers:"
    ]
    for name, seen in sorted(totals.items()):
        asked = seen["hits"] + seen["misses"]
        rate = f"{seen['hits'] / asked:.0%} of {asked:,}" if asked else "never asked"
        state = "on" if seen["on"] else "off"
        lines.append(
            f"- {name} ({state}): hits {rate}; {seen['bytes'] / 1024:,.0f} KB kept (shallow)"
        )
    return lines
