"""Local Management API server: which credentials the standalone server may serve, and where.

The local pair (LOCAL_APP_ID/LOCAL_APP_SECRET) is published in the README, so it protects
nothing: it is served on loopback only. A pair half set (only SYMBL_APP_ID or only
SYMBL_APP_SECRET) is refused: the operator believes the server protected, and it would
otherwise fall back to the public pair.
"""

from __future__ import annotations

import ipaddress

from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET


class Refused(ValueError):
    """The server must not start; the message is one line saying what to set."""


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or `localhost`; anything else (0.0.0.0, a name, "") is not."""
    host = host.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def served_credentials(*, app_id: str, app_secret: str, host: str) -> tuple[str, str]:
    """The pair the standalone server accepts, given SYMBL_APP_ID/SYMBL_APP_SECRET ("" when
    unset) and the address it listens on.

    Raises:
        Refused: only one of the two is set, or the pair is the public one and `host` is not
            a loopback address.
    """
    if bool(app_id) != bool(app_secret):
        given, missing = (
            ("SYMBL_APP_ID", "SYMBL_APP_SECRET") if app_id else ("SYMBL_APP_SECRET", "SYMBL_APP_ID")
        )
        raise Refused(
            f"{given} is set but {missing} is not: set both (a pair of your own), "
            "or neither for the public local pair on 127.0.0.1."
        )
    pair = (app_id, app_secret) if app_id else (LOCAL_APP_ID, LOCAL_APP_SECRET)
    if pair == (LOCAL_APP_ID, LOCAL_APP_SECRET) and not is_loopback(host):
        raise Refused(
            f"Refusing to serve the public local credentials on {host or 'every address'}: "
            "set SYMBL_APP_ID and SYMBL_APP_SECRET to a pair of your own, or listen on 127.0.0.1."
        )
    return pair
