"""Management API client layer: request bodies as they go on the wire, never over the limit.

The transport encodes each JSON body itself (compact UTF-8, the encoding the size checks in
the forms and the import count) instead of letting requests do it, and refuses one over the
API's 1 MB before anything is sent: nothing over the limit ever reaches the upstream.
"""

from __future__ import annotations

import json
from typing import Any

from symbl_admin.contract import MAX_BODY_BYTES

from .errors import ManagementAPIError, PayloadTooLarge


def wire_body(json_body: Any, *, request_id: str) -> bytes | None:
    """The body's bytes (None for no body).

    Raises: PayloadTooLarge over MAX_BODY_BYTES; ManagementAPIError for a value JSON cannot
        carry (NaN, a set)."""
    if json_body is None:
        return None
    try:
        text = json.dumps(json_body, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        try:
            body = text.encode()
        except UnicodeEncodeError:  # a lone surrogate: as escapes, as requests sent it
            body = json.dumps(json_body, separators=(",", ":"), allow_nan=False).encode()
    except (TypeError, ValueError) as exc:
        raise ManagementAPIError(
            "This could not be sent: it is not JSON.", request_id=request_id
        ) from exc
    if len(body) > MAX_BODY_BYTES:
        raise PayloadTooLarge(
            f"This is {len(body):,} bytes, over the {MAX_BODY_BYTES:,} bytes (1 MB) the "
            "Management API accepts; nothing was sent. Send fewer or shorter items.",
            status=413,
            request_id=request_id,
        )
    return body
