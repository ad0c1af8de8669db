from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self):
        from core import vocabulary
        from training import reminders
        from training.models import Audience

        reminders.register_kinds()
        vocabulary.register_affiliation_kinds(Audience.choices)
