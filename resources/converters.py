"""URL converters."""

from django.urls import register_converter


class ApiIdConverter:
    """Management API ids: digit strings by the contract; other servers may use more."""

    regex = r"[A-Za-z0-9_-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


# Registered once, here: trackers and groups both use <api_id:...>.
register_converter(ApiIdConverter, "api_id")
