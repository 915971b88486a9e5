"""Settings plumbing: where the dashboard's SECRET_KEY comes from.

In order: DJANGO_SECRET_KEY; else the key `make run` generated in var/secret-key; else, with
DJANGO_DEBUG on only, a development key generated once in var/dev-secret-key. With debug off
and neither, settings stop with MissingSecretKey: a server process (gunicorn on the WSGI app)
never invents a key. manage.py is the checkout's own command line: it marks itself with
`generate_when_missing()` and, lacking both, generates var/secret-key exactly as `make run`
does (so every README command works in a fresh checkout); where it cannot, it prints the
reason as one line. The one exception is a process that signs nothing:
manage.py marks `run_management_api` (the standalone Management API: no sessions, no CSRF, no
signed values) with `not_needed()`, and it gets a random key that lives only in its memory,
so it starts in a checkout where `make run` never ran. Key files are created readable only by their owner
and refused when others may read them. No key is ever printed or logged.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

KEY_FILE = "secret-key"
DEV_KEY_FILE = "dev-secret-key"
_needed = True
_generate = False


def not_needed() -> None:
    """Mark this process as one that never uses SECRET_KEY (before settings load)."""
    global _needed
    _needed = False


def generate_when_missing() -> None:
    """Mark this process (manage.py) as one that may create var/secret-key, as `make run`."""
    global _generate
    _generate = True


class MissingSecretKey(ImproperlyConfigured):
    """No usable secret key; the message says what to set (manage.py prints it, no traceback)."""


def generate_key_file(path: Path) -> bool:
    """Create `path` holding a new random key, mode 0600 from the first byte; keep an existing
    file. Returns whether it was created."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(50) + "\n")
    return True


def read_key_file(path: Path) -> str:
    """The key kept in `path`.

    Raises:
        MissingSecretKey: the file may be read by others than its owner, or it is empty.
    """
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise MissingSecretKey(
            f"{path} may be read by others than its owner; run `chmod 600 {path}`."
        )
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise MissingSecretKey(
            f"{path} is empty: delete it and run `make run` again, or set DJANGO_SECRET_KEY."
        )
    return key


def resolve(*, environ: Mapping[str, str], var_dir: Path, debug: bool) -> str:
    """The secret key for these settings (see the module docstring for the order).

    Raises:
        MissingSecretKey: debug is off and there is neither DJANGO_SECRET_KEY nor a key file.
    """
    key = environ.get("DJANGO_SECRET_KEY", "")
    if key:
        return key
    key_file = var_dir / KEY_FILE
    if key_file.exists():
        return read_key_file(key_file)
    if not _needed:
        return secrets.token_urlsafe(50)  # never stored, never used to sign anything
    if debug:
        # Sessions survive restarts of the development server.
        dev_file = var_dir / DEV_KEY_FILE
        generate_key_file(dev_file)
        return read_key_file(dev_file)
    if _generate:
        try:
            generate_key_file(key_file)
        except OSError as exc:
            raise MissingSecretKey(
                f"DJANGO_SECRET_KEY is not set and {key_file} could not be created "
                f"({exc.strerror}): set DJANGO_SECRET_KEY, or let this user write there."
            ) from None
        return read_key_file(key_file)
    raise MissingSecretKey(
        f"DJANGO_SECRET_KEY is not set and no key was generated yet ({key_file}): "
        "run `make run` once, or set DJANGO_SECRET_KEY."
    )
