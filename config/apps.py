from django.apps import AppConfig


class SasaeruConfig(AppConfig):
    """The wiring package, installed as an app only for its management commands
    (load_demo, sync_schedules)."""

    name = "config"
    verbose_name = "Sasaeru"
