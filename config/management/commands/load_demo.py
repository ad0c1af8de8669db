from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

# Each app contributes its part of the demo, in the order of the app layers.
DEMO_LOADERS = [
    "directory.demo.load",
    "training.demo.load",
    "supervision.demo.load",
    "attendance.demo.load",
    "notifications.demo.load",
    "reports.demo.load",
]


class Command(BaseCommand):
    help = "Load the directory and the demo data. Running it twice changes nothing."

    def handle(self, *args, **options):
        for path in DEMO_LOADERS:
            self.stdout.write(f"→ {path} …")
            with transaction.atomic():
                summary = import_string(path)(stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS(f"  {summary}"))
