from django.apps import AppConfig, apps
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_tables(sender, using: str = "default", **kwargs) -> None:
    """After every migrate: the database cache's table (PostgreSQL settings), if it is missing.

    A hook rather than a migration, so it follows the settings: a cache table renamed or newly
    configured later is created by the next migrate. Without a database cache it does nothing.
    """
    call_command("createcachetable", database=using, verbosity=0)


class DashboardConfig(AppConfig):
    """The dashboard's shell: the overview, the health probes, the error pages."""

    name = "dashboard"
    label = "dashboard"
    verbose_name = "Dashboard"

    def ready(self) -> None:
        # post_migrate is sent per app that has models (this one has none): after audit's.
        post_migrate.connect(
            create_cache_tables,
            sender=apps.get_app_config("audit"),
            dispatch_uid="dashboard.cache_tables",
        )
