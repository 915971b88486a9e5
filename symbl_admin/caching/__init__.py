"""Every value the dashboard keeps to skip work, in one place.

A layer is one kind of kept value (a page, a row, a diff, a memo of a pure function). Each is
declared once, beside the code it serves, as a `Layer` (or `memo`) that says what it saves and
what a miss costs; `DASHBOARD_CACHES` switches all of them, or some, off (`switch.py`). A key
is the versions of what the value is made of: `keys.py` derives the pages' (address, viewer,
the standings' version and the view's versions); a row, a diff or a memo is keyed by the
frozen values it is a function of (an object compares and hashes by every field it was sent).

Not here, because they are not caches in this sense: HTTP's conditional GET between the client
and a server (ETag, 304), sessions, the Management API token, and the tables the audit log
maintains in the same transaction as its appends: the review standings (review/standings.py)
and the log's counts (audit/counts.py).
"""

from .store import Layer, memo
from .switch import enabled

__all__ = ["Layer", "enabled", "memo"]
