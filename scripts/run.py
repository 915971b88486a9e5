"""`make run`: prepare everything once, then hand the process to gunicorn.

Safe to run again: migrations, the demo seed and the demo users only add what is missing.
Ctrl-C reaches gunicorn directly (this process becomes gunicorn via exec), which stops it.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("SYMBL_VAR_DIR", ROOT / "var"))


def prepare_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "symbl_admin.settings")
    VAR.mkdir(parents=True, exist_ok=True)
    if not env.get("DJANGO_SECRET_KEY"):
        key_file = VAR / "secret-key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        env["DJANGO_SECRET_KEY"] = key_file.read_text().strip()
    # Served over plain HTTP on loopback: cookies cannot be Secure-only here.
    env.setdefault("DJANGO_HTTPS", "0")
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()

    env = prepare_environment()
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed_demo")
    manage(env, "create_demo_users")
    manage(env, "collectstatic", "--noinput", "-v", "0")

    url = f"http://{args.host}:{args.port}/"
    password = (
        "the value of DEMO_PASSWORD" if env.get("DEMO_PASSWORD") else f"in {VAR / 'demo-password'}"
    )
    print(
        f"\nSymbl Admin is serving at {url}  (Ctrl-C stops it)\n"
        f"Sign in as admin, analyst, lead or auditor; the password is {password}.\n",
        flush=True,
    )
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    argv = [
        gunicorn,
        "symbl_admin.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        env.get("WEB_CONCURRENCY", "2"),
        "--threads",
        env.get("GUNICORN_THREADS", "4"),
        "--timeout",
        env.get("GUNICORN_TIMEOUT", "30"),
        "--no-control-socket",
        "--access-logfile",
        "-",
    ]
    os.chdir(ROOT)
    os.execve(gunicorn, argv, env)


if __name__ == "__main__":
    main()
