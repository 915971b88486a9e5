"""Local Management API server: what changed in a list since a client read it (an extension).

`GET /v1/x/manage/{plural}/changes?since=<ETag of the list the client holds>` answers
`{"<plural>": [objects written since, in creation order], "deleted": [ids deleted since]}`
with the list's current ETag, or 304 when the list is still `since`. A client that applies
the answer to the list it holds (replace the objects it has, append the others, drop the
deleted) holds the list this ETag names: the dashboard's client reads a 1 MB tracker list once,
then only what another client changed. `since` from another epoch (another database, or one
restored from a backup), from the future or malformed answers 410: read the whole list.

Every write stamps the object with the table's revision it made (`rev`) and a delete leaves the
id in `removed` with its revision (store.Store.insert/replace/delete), in the write's own
transaction. The revision is read before the rows, so an answer may carry a write newer than its
ETag, never lack an older one; the next answer sends that object again, which is harmless.
"""

from __future__ import annotations

import re

import orjson

from local_api.handlers import Call, Reply, Served
from local_api.plumbing import ApiError, Encoded
from local_api.store import Store, Table

_ETAG = re.compile(r'"(?P<epoch>[0-9a-f]{1,32})-(?P<n>[0-9]{1,18})"')


def changed_since(store: Store, table: Table, since_n: int) -> tuple[list[dict], list[str]]:
    """(objects written after revision `since_n` in creation order, ids deleted after it)."""
    db = store._read()
    rows = db.execute(
        f"SELECT * FROM {table.name} WHERE rev > ? ORDER BY seq",  # noqa: S608
        (since_n,),
    ).fetchall()
    deleted = db.execute(
        "SELECT id FROM removed WHERE tbl = ? AND rev > ? ORDER BY rev", (table.name, since_n)
    ).fetchall()
    return [table.row(row) for row in rows], [row["id"] for row in deleted]


def list_changes(resource: Served, store: Store, call: Call) -> Reply:
    """GET /v1/x/manage/{plural}/changes?since=ETag (see the module docstring)."""
    since = ((call.query or {}).get("since") or [""])[0]
    epoch, n = store.revision(resource.table)
    etag = f'"{epoch}-{n}"'
    if since == etag:
        return 200, Encoded(b"", etag, not_modified=True)
    match = _ETAG.fullmatch(since)
    if not match or match["epoch"] != epoch or int(match["n"]) > n:
        raise ApiError(
            410,
            "This list's ETag is not one this server can answer changes for (another "
            "database, a restored one, or not an ETag of this list): read the whole list.",
        )
    objects, deleted = changed_since(store, resource.table, int(match["n"]))
    body = orjson.dumps({resource.plural: objects, "deleted": deleted})
    return 200, Encoded(body, etag)
