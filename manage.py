#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "symbl_admin.settings")
    from django.core.management import execute_from_command_line

    from symbl_admin import secret_key
    from symbl_admin.secret_key import MissingSecretKey

    if sys.argv[1:2] == ["run_management_api"]:
        # The standalone Management API signs nothing: it must start without a key.
        secret_key.not_needed()
    else:
        # The checkout's command line: without DJANGO_SECRET_KEY, the key `make run` makes.
        secret_key.generate_when_missing()
    try:
        execute_from_command_line(sys.argv)
    except MissingSecretKey as exc:
        # A setup step the user can do, not a bug: one line saying what to do, no traceback.
        sys.stderr.write(f"Error: {exc}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
