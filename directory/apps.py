from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Directory")

    def ready(self):
        from core import center as core_center
        from directory import token_lifecycle
        from directory.center import current_center

        # A new password, a deactivation or a lost role ends the person's API tokens.
        token_lifecycle.connect()

        # Pages, emails, PDFs, feeds and the report ask core.center.current() for the center's
        # name and contacts: they come from the profile kept here.
        core_center.register_provider(current_center)
