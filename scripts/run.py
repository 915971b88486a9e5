"""`make run` (and `make dev`): prepare everything once, then hand the process to the server.

Safe to run again: migrations, the demo seed and the demo users only add what is missing.
Ctrl-C reaches the server directly (this process becomes gunicorn, or Django's development
server with --dev, via exec), which stops it.

Starting never depends on the Management API: demo data goes into the embedded server, into
a remote one (SYMBL_API_BASE_URL) only with SEED_DEMO=1, never with SEED_DEMO=0; a seed that
cannot be done is a warning. A remote server that is down shows on the Overview and /readyz.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("SYMBL_VAR_DIR", ROOT / "var"))
YES = {"1", "true", "yes", "on"}
NO = {"0", "false", "no", "off"}

sys.path.insert(0, str(ROOT))
from symbl_admin.private_files import private_dir  # noqa: E402
from symbl_admin.secret_key import KEY_FILE, generate_key_file  # noqa: E402


def prepare_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "symbl_admin.settings")
    private_dir(VAR, children=True)  # owner-only: the databases and the key live here
    if not env.get("DJANGO_SECRET_KEY"):
        # Settings read this file whenever DJANGO_SECRET_KEY is unset, so every later
        # `manage.py` command in this checkout uses the same key; it never enters the env.
        generate_key_file(VAR / KEY_FILE)
    # Served over plain HTTP on loopback: cookies cannot be Secure-only here.
    env.setdefault("DJANGO_HTTPS", "0")
    return env


def manage(env: dict[str, str], *args: str) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT)
    if result.returncode:
        sys.exit(f"make run stopped: `manage.py {args[0]}` failed (exit {result.returncode}).")


def seed_demo(env: dict[str, str]) -> None:
    """Seed as the module docstring says; never stops the start."""
    choice = env.get("SEED_DEMO", "").strip().lower()
    remote = env.get("SYMBL_API_BASE_URL", "").strip()
    if choice in NO:
        print("Demo data: not seeded (SEED_DEMO=0).", flush=True)
        return
    if remote and choice not in YES:
        print(
            f"Demo data: not seeded into {remote}, a remote Management API (SEED_DEMO=1 seeds it).",
            flush=True,
        )
        return
    command = [sys.executable, str(ROOT / "manage.py"), "seed_demo", "--if-possible"]
    result = subprocess.run(command, env=env, cwd=ROOT)
    if result.returncode:
        print(f"Warning: demo data not seeded (seed_demo exit {result.returncode}).", flush=True)


def serve_argv(args: argparse.Namespace, env: dict[str, str]) -> list[str]:
    if args.dev:
        return [sys.executable, str(ROOT / "manage.py"), "runserver", f"{args.host}:{args.port}"]
    return [
        str(Path(sys.executable).with_name("gunicorn")),
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--dev", action="store_true", help="DJANGO_DEBUG=1 and runserver")
    args = parser.parse_args()

    env = prepare_environment()
    if args.dev:
        env["DJANGO_DEBUG"] = "1"
    manage(env, "migrate", "--noinput", "-v", "0")
    seed_demo(env)
    manage(env, "create_demo_users")
    if not args.dev:
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
    argv = serve_argv(args, env)
    os.chdir(ROOT)
    os.execve(argv[0], argv, env)


if __name__ == "__main__":
    main()
