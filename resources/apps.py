from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    """The resource layer: generic views, reads and writes over any kind of object."""

    name = "resources"
    label = "resources"
    verbose_name = "Resources"
