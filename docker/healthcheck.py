"""The image's HEALTHCHECK: exit 0 when the server this container runs answers, else 1.

The dashboard: GET /healthz on $PORT with a Host header taken from DJANGO_ALLOWED_HOSTS (its
first entry), so the check passes whatever hosts are allowed; Django answers 400 to a Host it
does not allow, and 127.0.0.1 is rarely one in production. /healthz is exempt from the HTTPS
redirect. A container running the standalone Management API (`manage.py run_management_api`)
is asked on its --port instead: any HTTP answer below 500 means it is serving.

Standard library only; runs in a few milliseconds beside the server.
"""

from __future__ import annotations

import http.client
import os
import sys
from pathlib import Path

DEFAULT_HOSTS = "127.0.0.1,localhost,testserver"  # symbl_admin/settings.py's default


def health_host(allowed_hosts: str) -> str:
    """A Host header Django accepts given DJANGO_ALLOWED_HOSTS."""
    first = next((h.strip() for h in allowed_hosts.split(",") if h.strip()), "localhost")
    if first == "*":
        return "localhost"
    # ".example.com" allows example.com and its subdomains.
    return first.lstrip(".")


def api_port(command_line: list[str]) -> int | None:
    """The port of `manage.py run_management_api` in this command line; None if it is not one."""
    if "run_management_api" not in command_line:
        return None
    for i, arg in enumerate(command_line):
        if arg == "--port" and i + 1 < len(command_line):
            return int(command_line[i + 1])
        if arg.startswith("--port="):
            return int(arg.split("=", 1)[1])
    return 8001


def answer_status(port: int, path: str, host: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=4)
    try:
        connection.request("GET", path, headers={"Host": host})
        return connection.getresponse().status
    finally:
        connection.close()


def main() -> int:
    command_line = Path("/proc/1/cmdline").read_bytes().decode(errors="replace").split("\0")
    port = api_port(command_line)
    try:
        if port is not None:
            return 0 if answer_status(port, "/", "127.0.0.1") < 500 else 1
        hosts = os.environ.get("DJANGO_ALLOWED_HOSTS") or DEFAULT_HOSTS
        status = answer_status(int(os.environ.get("PORT", "8000")), "/healthz", health_host(hosts))
    except (OSError, http.client.HTTPException) as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1
    if status != 200:
        print(f"unhealthy: /healthz answered {status}", file=sys.stderr)
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
