from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "symbl_admin.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
