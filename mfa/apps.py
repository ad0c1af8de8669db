from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MfaConfig(AppConfig):
    name = "mfa"
    verbose_name = _("Second factor")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from mfa import policy, services

        services.register_audit_actions()
        user_logged_in.connect(policy.on_login, dispatch_uid="mfa.on_login")
