"""Every value the dashboard keeps to skip work, in one place.

A layer is one kind of kept value (a page, a selection, a memo of a pure function). Each is
declared once in `layers.py` with what it saves and what a miss costs; `DASHBOARD_CACHES`
switches all of them, or some, off (`switch.py`); every key is derived by `keys.py` from the
versions of what the value is made of, never from a tuple written at the call site.

Not here, because they are not caches in this sense: HTTP's conditional GET between the client
and a server (ETag, 304), sessions, the Management API token, and the tables the audit log
maintains in the same transaction as its appends: the review standings (review/standings.py)
and the log's counts (audit/counts.py).
"""

from .store import Layer, memo
from .switch import enabled

__all__ = ["Layer", "enabled", "memo"]
