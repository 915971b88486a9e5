"""Test helper: failed sign-ins from several processes at the same moment, through the real
sign-in form, against one database (and so one throttle cache); how many were counted.

    counted = race([env_a, env_b], tries=60)   # {"user": 122, "ip": [61, 61]} when none lost

Each process is `manage.py shell` in its env (tests/support/dashboard.django_env), as a
gunicorn worker (same var/) or another instance (its own var/, the same database) would be. It lifts
the bounds (accounts/signin_limits.py) so that every try is made and counted, hashes
with MD5 so that tries are quick, and starts on a shared clock.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from tests.support.dashboard import PROJECT_DIR, manage

USERNAME = "throttle-target"

FAIL = """
import time
from django.conf import settings
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
from django.test import RequestFactory
from accounts import forms, signin_limits
signin_limits.PAIR_FREE = signin_limits.USERNAME_FREE = signin_limits.ADDRESS_FREE = 10**9
request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="{ip}")
data = {{"username": "{username}", "password": "not-the-password"}}
forms.ThrottledAuthenticationForm(request, data=data).is_valid()  # connect, warm up
while time.time() < {start}:
    time.sleep(0.001)
for _ in range({tries}):
    assert not forms.ThrottledAuthenticationForm(request, data=data).is_valid()
print("done", flush=True)
"""

COUNTS = """
import json
from accounts import signin_limits, throttle
keys = [signin_limits.Attempt(username="{username}", address=ip).keys for ip in {ips}]
print(json.dumps({{"user": throttle.failures(keys[0]["username"])[0],
                  "ip": [throttle.failures(k["address"])[0] for k in keys]}}))
"""


def race(envs: list[dict], *, tries: int) -> dict:
    """Counted failures after `tries` concurrent failed sign-ins by one process per env (each
    from its own address, all for one username). The warm-up try of each is counted too."""
    ips = [f"10.9.0.{n + 1}" for n in range(len(envs))]
    start = time.time() + 3.0  # every process imported Django and connected by then
    code = [FAIL.format(ip=ip, username=USERNAME, start=start, tries=tries) for ip in ips]
    running = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, str(PROJECT_DIR / "manage.py"), "shell", "-v", "0", "-c", c],
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for c, env in zip(code, envs, strict=True)
    ]
    outputs = [p.communicate(timeout=120) for p in running]
    assert [out.strip() for out, _ in outputs] == ["done"] * len(envs), outputs
    shown = manage(envs[0], "shell", "-v", "0", "-c", COUNTS.format(username=USERNAME, ips=ips))
    return json.loads(shown.stdout)
