from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "symbl_admin.core"
    label = "core"
    verbose_name = "Dashboard core"
