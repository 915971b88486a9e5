from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self):
        from django.contrib.auth import signals as auth_signals

        from accounts.signals import permission_denied

        from . import account_trail, chain, counts, signals

        if counts.record not in chain.FOLLOWERS:  # the log's count tables, kept by each append
            chain.FOLLOWERS.append(counts.record)
        auth_signals.user_logged_in.connect(signals.on_logged_in, dispatch_uid="audit-login")
        auth_signals.user_logged_out.connect(signals.on_logged_out, dispatch_uid="audit-logout")
        auth_signals.user_login_failed.connect(
            signals.on_login_failed, dispatch_uid="audit-login-failed"
        )
        permission_denied.connect(signals.on_permission_denied, dispatch_uid="audit-denied")
        account_trail.connect()  # users and roles: one entry per change, whatever made it
