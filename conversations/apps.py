from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    """Conversations: read through the Management API client only (no models)."""

    name = "conversations"
    verbose_name = "Conversations"
    default_auto_field = "django.db.models.BigAutoField"
