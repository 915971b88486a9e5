from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .sessions import on_logged_in

        user_logged_in.connect(on_logged_in, dispatch_uid="symbl_session_clocks")
