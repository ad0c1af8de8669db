from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Personal data")

    def ready(self):
        from core import audit

        audit.register_actions(
            {
                "privacy.erasure.scheduled": _("erased personal data past its period"),
                "privacy.erasure.requested": _("erased a person's data on request"),
            }
        )
