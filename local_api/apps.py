from django.apps import AppConfig


class LocalApiConfig(AppConfig):
    name = "local_api"
    label = "local_api"
    verbose_name = "Local Management API server"
