"""Local Management API server: our /v1/x/conversations/ids extension.

GET /v1/x/conversations/ids?criteria=...[&startTime][&endTime][&limit]: the ids of the
conversations draft criteria select (all time unless a bound is given), in the order they
were stored, and their total: {"ids": [...], "total": n}. The dashboard compares selections
with it (the quality report's "same conversations", a group change's added and removed
conversations) without reading whole conversations. Kept apart from conversations.py so the
extension is one module and one route.
"""

from __future__ import annotations

from local_api.conversation_rules import list_query
from local_api.conversation_store import ConversationStore
from local_api.conversations import _rules, _text
from local_api.handlers import Call, Reply
from local_api.membership import Unsupported
from local_api.plumbing import ApiError
from local_api.store import Store
from symbl_admin import rsql


def selected_ids(store: Store, call: Call) -> Reply:
    """The ids (up to `limit`, default 65536 here) and the total of what criteria select."""
    query_args = dict(call.query or {})
    query_args.setdefault("limit", ["65536"])
    query = _rules(list_query, query_args, all_time=True)
    text = _text(call, "criteria")
    criteria = []
    if text:
        try:
            criteria.append(rsql.validate_criteria(text))
        except rsql.RSQLError as error:
            raise ApiError(400, f'"criteria": {error}') from None
    conversations = ConversationStore.of(store)
    try:
        sql, params = conversations._where(query, criteria)
        total = conversations._count(sql, params)
        rows = conversations._read().execute(
            f"SELECT c.id FROM conversations c WHERE {sql} ORDER BY c.seq LIMIT ?",  # noqa: S608
            (*params, query.limit),
        )
        ids = [row["id"] for row in rows]
    except Unsupported as error:
        raise ApiError(400, f'"criteria": {error}') from None
    return 200, {"ids": ids, "total": total}
