"""Request plumbing: a request id on every request, one log line per request, HEAD without a
body, security headers, no-store on what is shown to a signed-in user."""

from __future__ import annotations

import json
import logging
import time
import uuid

from .request_context import current_request_id

logger = logging.getLogger("symbl_admin.request")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class RequestIdMiddleware:
    """Gives each request a uuid4 id (echoed as X-Request-ID) and logs one JSON line for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = request_id
            return response
        finally:
            current_request_id.reset(token)
            user = getattr(request, "user", None)
            logger.info(
                json.dumps(
                    {
                        "event": "request",
                        "method": request.method,
                        "path": request.path,
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                        "user_id": user.pk if user is not None and user.is_authenticated else None,
                        "request_id": request_id,
                    }
                )
            )


class HeadMiddleware:
    """A HEAD request gets the answer GET would (status and headers, Content-Length
    included), without the body, whichever server runs the app. The views allow HEAD
    wherever they allow GET (`require_safe`, ResourceView), and answer it with their GET code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "HEAD":
            if response.streaming:
                # The iterator is never read; the server's close() still closes it.
                response.streaming_content = []
            else:
                response.content = b""
        return response


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy: scripts and styles only from our own static files."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        else:
            # Django's admin uses inline styles; it still gets no inline scripts.
            response.setdefault(
                "Content-Security-Policy",
                CONTENT_SECURITY_POLICY.replace(
                    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
                ),
            )
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every answer to a signed-in request and on every export
    (an attachment): a shared computer's browser cache, or a proxy, keeps no copy of a
    signed-in page, a partial or a file. Static files never reach it (WhiteNoise answers
    them further out), so they stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        export = response.get("Content-Disposition", "").lower().startswith("attachment")
        if (signed_in or export) and "no-store" not in response.get("Cache-Control", ""):
            # Replaces whatever was there: a max-age beside no-store would only confuse.
            response["Cache-Control"] = "no-store"
        return response


class HtmxMessagesMiddleware:
    """Delivers pending messages to htmx responses as out-of-band toasts.

    A partial swap never re-renders base.html, so without this a success or error message
    raised during an htmx request would wait for the next full page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        htmx = getattr(request, "htmx", None)
        if (
            not htmx
            or htmx.boosted
            or "HX-Redirect" in response
            or "HX-Location" in response
            or response.streaming
            or 300 <= response.status_code < 400
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return response
        from django.contrib.messages import get_messages
        from django.template.loader import render_to_string

        pending = list(get_messages(request))  # iterating marks them as shown
        if not pending:
            return response
        html = render_to_string(
            "components/messages_oob.html", {"messages": pending}, request=request
        )
        response.content += html.encode()
        return response
