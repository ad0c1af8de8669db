from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.forms import error_text
from directory import areas, center

NEXT_STEPS = """Next steps (README, "Another prefecture"):
  1. the first center user:   manage.py create_center_user <username> --email <address>
  2. log in, then the center's profile (name, contacts, the words for its offices and forms,
     its goal):               /account/center/
  3. districts and blocks:    /account/areas/  (or manage.py import_districts districts.csv --blocks blocks.csv)
  4. the first training:      /training/staff/events/new/"""


class Command(BaseCommand):
    help = (
        "Load a prefecture's municipalities from the official list (by name or code: 徳島県, "
        "36, 360007). Running it again changes nothing; renamed municipalities keep their "
        "history (matched by code)."
    )

    def add_arguments(self, parser):
        parser.add_argument("prefecture")

    def handle(self, *args, prefecture, **options):
        try:
            result = areas.setup_prefecture(prefecture=prefecture)
            center.adopt_prefecture(result.prefecture)
        except ValidationError as error:
            raise CommandError(error_text(error)) from error
        pref = result.prefecture
        if result.removed:
            self.stdout.write(
                f"removed the unused directory of another prefecture ({result.removed} municipalities)"
            )
        for label, names in [
            ("created", result.created),
            ("updated", result.updated),
            ("no longer in the official list (kept with their history)", result.retired),
        ]:
            if names:
                self.stdout.write(
                    f"{label}: {len(names)} ({'、'.join(names[:10])}{'…' if len(names) > 10 else ''})"
                )
        if not result.changed:
            self.stdout.write(f"{pref.name}: nothing to change")
        self.stdout.write(
            self.style.SUCCESS(
                f"{pref.name} ({pref.code}): "
                f"{len(areas.sources.municipalities_of(pref))} municipalities."
            )
        )
        self.stdout.write(NEXT_STEPS)
