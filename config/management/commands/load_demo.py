from django.core.management.base import BaseCommand, CommandError
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
    "surveys.demo.load",
]


class Command(BaseCommand):
    help = "Load the directory and the demo data. Running it twice changes nothing."

    def handle(self, *args, **options):
        from directory.kochi import PREFECTURE, other_prefecture

        other = other_prefecture()
        if other:
            raise CommandError(
                f"このデータベースは{other}の名簿で始めているため、{PREFECTURE}のデモデータは"
                "読み込みません。デモは別のデータベース（DATABASE_URL）で試し、このまま使うときは "
                "DEMO=0 bin/run で起動してください。"
            )
        for path in DEMO_LOADERS:
            self.stdout.write(f"→ {path} …")
            with transaction.atomic():
                summary = import_string(path)(stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS(f"  {summary}"))
