"""Management API client layer: typed errors, one map from HTTP status to error class.

Views catch ManagementAPIError and show `user_message`; forms put ValidationFailed and
NameTaken on the offending field.
"""

from __future__ import annotations


class ManagementAPIError(Exception):
    """Base class. Carries the upstream status, the upstream message and our request id."""

    title = "The Management API could not do this."
    default_user_message = "Please try again. If it keeps happening, tell your administrator."

    def __init__(
        self,
        message: str = "",
        *,
        status: int | None = None,
        request_id: str = "",
        may_have_landed: bool = False,
    ) -> None:
        super().__init__(message or self.title)
        self.message = message
        self.status = status
        self.request_id = request_id
        # True when a write was sent but no answer came back: it may or may not have happened.
        self.may_have_landed = may_have_landed

    @property
    def user_message(self) -> str:
        """Plain words for the page. The upstream message is shown where it helps."""
        return self.message or self.default_user_message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, message={self.message!r})"


class ValidationFailed(ManagementAPIError):
    title = "The Management API refused the data."


class NotFound(ManagementAPIError):
    title = "Not found."
    default_user_message = "It may have been deleted in the meantime."


class NameTaken(ManagementAPIError):
    title = "That name is already used."
    default_user_message = "Another item already has this name. Names are case-sensitive."


class PayloadTooLarge(ManagementAPIError):
    title = "Too much data in one request."
    default_user_message = "The request is over the 1 MB limit. Send fewer or shorter items."


class Busy(ManagementAPIError):
    title = "The Management API is busy."
    default_user_message = (
        "Another change is being saved right now. Nothing was changed; try again in a moment."
    )


class ExtensionNotSupported(ManagementAPIError):
    """The server has no such /v1/x extension (it answered 404): hide what it powers."""

    title = "This Management API server does not offer this feature."
    default_user_message = (
        "It is an extension of the dashboard's own server; this server does not have it."
    )


class Unavailable(ManagementAPIError):
    title = "The Management API is not answering."
    default_user_message = (
        "It may be down or slow. Your input is kept below; try again in a moment."
    )


class AuthFailed(ManagementAPIError):
    title = "The dashboard could not sign in to the Management API."
    default_user_message = (
        "Its credentials were refused. An administrator needs to check SYMBL_APP_ID and "
        "SYMBL_APP_SECRET."
    )


STATUS_TO_ERROR: dict[int, type[ManagementAPIError]] = {
    400: ValidationFailed,
    401: AuthFailed,
    403: AuthFailed,
    404: NotFound,
    405: ValidationFailed,
    409: NameTaken,
    413: PayloadTooLarge,
    429: Busy,
}


def error_for_status(status: int) -> type[ManagementAPIError]:
    """The error class for an HTTP status: the map above, Unavailable for any 5xx."""
    if status >= 500:
        return Unavailable
    return STATUS_TO_ERROR.get(status, ManagementAPIError)
