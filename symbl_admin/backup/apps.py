from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "symbl_admin.backup"
    label = "backup"
    verbose_name = "Backup and restore"
