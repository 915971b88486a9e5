"""The Management API client: the only code in the dashboard that talks HTTP.

from symbl_admin.management_api import get_client, NotFound
client = get_client()
tracker = client.trackers.get("4476908732794496")
"""

from .client import ManagementAPIClient, get_client, reset_client
from .errors import (
    AuthFailed,
    Busy,
    ExtensionNotSupported,
    ManagementAPIError,
    NameTaken,
    NotFound,
    PayloadTooLarge,
    Unavailable,
    ValidationFailed,
    error_for_status,
)
from .types import Group, Tracker

__all__ = [
    "AuthFailed",
    "Busy",
    "ExtensionNotSupported",
    "Group",
    "ManagementAPIClient",
    "ManagementAPIError",
    "NameTaken",
    "NotFound",
    "PayloadTooLarge",
    "Tracker",
    "Unavailable",
    "ValidationFailed",
    "error_for_status",
    "get_client",
    "reset_client",
]
