from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self):
        from directory import areas
        from supervision import reminders, services

        reminders.register_kinds()
        # Every directory row can be visited: a target follows each one the directory gains,
        # and goes with one it loses while it has no plans or visits.
        areas.register_follower(after_change=services.ensure_targets, owns=("supervision.Target",))
