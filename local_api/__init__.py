"""The local Management API server: our own implementation of the Symbl Management API contract.

It is a plain WSGI application (see `app.create_app`), served two ways:
- embedded (the default): `embedded.wsgi_app`, named by settings.SYMBL_API_EMBEDDED_APP and run
  in-process by the client's adapter (symbl_admin.management_api.embedded.WSGIAdapter);
- standalone: `python manage.py run_management_api --port 8001` (gunicorn).

Nothing of the dashboard or the client imports this package; of the project it imports only
the contract (symbl_admin.contract), the RSQL grammar (symbl_admin.rsql) and the owner-only
file helpers (symbl_admin.private_files).

The contract is /work/shared/reference/MANAGEMENT-API.md (copied into the README).
Extension: POST /v1/x/trackers/preview, a draft tracker's hits across stored conversations
(tracker_preview.py).
Keep this module light: Django imports it at start-up as the app package.
"""

#: The credentials pair the local server accepts when SYMBL_APP_ID/SYMBL_APP_SECRET are not both
#: set. They protect nothing (the pair is public; the standalone server serves it on loopback
#: only, see exposure.py); they exist so the client always goes through the same token flow as against a real server.
LOCAL_APP_ID = "symbl-admin-local"
LOCAL_APP_SECRET = "symbl-admin-local-secret"


def local_credentials(app_id: str = "", app_secret: str = "") -> tuple[str, str]:
    """The pair the local server accepts: the given pair if both are set, else the local default."""
    if app_id and app_secret:
        return app_id, app_secret
    return LOCAL_APP_ID, LOCAL_APP_SECRET
