"""How `make bench` measures: interleaved rounds of single requests (medians with min/max),
wrk for throughput, access-log lines for upstream calls, /proc for a worker's memory."""

from __future__ import annotations

import random
import re
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests


@dataclass(frozen=True)
class Sample:
    """Milliseconds of one measure over its rounds."""

    median: float
    low: float
    high: float
    runs: int
    p90: float = 0.0

    @classmethod
    def of(cls, values: list[float]) -> Sample:
        p90 = statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]
        return cls(statistics.median(values), min(values), max(values), len(values), p90)

    def __str__(self) -> str:
        return (
            f"{self.median:.2f} ms (p90 {self.p90:.2f}, min {self.low:.2f}, max {self.high:.2f}, "
            f"n={self.runs})"
        )


def interleaved(
    probes: dict[str, Callable[[], object]], rounds: int, say: Callable[[str], None] = print
) -> dict[str, Sample]:
    """Each round runs every probe once, in a new random order (seeded), so a noisy moment
    of this shared machine falls on every measure alike. Two warm-up rounds first (the
    second one's times are said, so a slow measure shows before the long part). A probe's
    `before` (another client's change, another user's sign-in) runs untimed just before it."""
    rng = random.Random(3)
    names = list(probes)
    for warm in range(2):
        seen = []
        for name in names:
            started = time.perf_counter()
            probes[name]()
            seen.append(f"{name} {(time.perf_counter() - started) * 1000:.0f}")
        if warm:
            say("warm-up (ms): " + ", ".join(seen))
    times: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(rounds):
        rng.shuffle(names)
        for name in names:
            before = getattr(probes[name], "before", None)
            if before is not None:
                before()
            started = time.perf_counter()
            probes[name]()
            times[name].append((time.perf_counter() - started) * 1000)
    return {name: Sample.of(values) for name, values in times.items()}


class Browser:
    """A signed-in keep-alive HTTP session on one Django site (the dashboard or the admin)."""

    def __init__(self, base_url: str, login_path: str, username: str, password: str) -> None:
        self.base_url = base_url
        self.http = requests.Session()
        page = self.http.get(base_url + login_path, timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, f"no CSRF token on {login_path}"
        answer = self.http.post(
            base_url + login_path,
            data={
                "csrfmiddlewaretoken": token.group(1),
                "username": username,
                "password": password,
            },
            headers={"Referer": base_url + login_path},
            allow_redirects=False,
            timeout=30,
        )
        assert answer.status_code == 302, f"sign-in at {base_url} answered {answer.status_code}"

    def get(self, path: str, **headers: str) -> requests.Response:
        response = self.http.get(self.base_url + path, headers=headers, timeout=60)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        return response

    def probe(self, path: str, *, expect: str = "", **headers: str) -> Callable[[], object]:
        def run() -> object:
            body = self.get(path, **headers).text
            assert expect in body, (path, expect)
            return body

        return run

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())


def wrk_rate(url: str, cookie: str, *, seconds: int) -> float | None:
    """Requests per second of `wrk -t2 -c8 -d{seconds}s` (None when wrk is not installed)."""
    if not shutil.which("wrk"):
        return None
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "-H", f"Cookie: {cookie}", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    assert not errors, f"wrk saw {errors.group(1)} error answers from {url}:\n{out}"
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def log_lines(path: Path) -> list[str]:
    return path.read_text(errors="replace").splitlines()


def upstream_calls(access_log: Path, action: Callable[[], object]) -> list[str]:
    """The Management API requests one action caused (lines its access log gained)."""
    before = len(log_lines(access_log))
    action()
    time.sleep(0.2)  # the server logs after it answered
    return log_lines(access_log)[before:]


def after(before: Callable[[], object], probe: Callable[[], object]) -> Callable[[], object]:
    """`probe`, measured right after `before` (which is not measured)."""

    def run() -> object:
        return probe()

    run.before = before  # type: ignore[attr-defined]
    return run
