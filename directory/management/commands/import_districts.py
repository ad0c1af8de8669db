from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from directory import area_files


class Command(BaseCommand):
    help = (
        "Import the prefecture's districts (CSV: district,municipality_code) and optionally its "
        "blocks (CSV: block,district). All or nothing; the same files again change nothing. "
        "Example: directory/data/kochi_districts.csv, directory/data/kochi_blocks.csv."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "districts", nargs="?", help="districts file (district,municipality_code)"
        )
        parser.add_argument("--blocks", help="blocks file (block,district)")

    def handle(self, *args, districts=None, blocks=None, **options):
        if not districts and not blocks:
            raise CommandError("Give a districts file, a blocks file (--blocks) or both.")
        try:
            result = area_files.import_areas(
                districts=Path(districts).read_bytes() if districts else None,
                blocks=Path(blocks).read_bytes() if blocks else None,
            )
        except OSError as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        if not result.changed_anything:
            self.stdout.write("nothing to change")
            return
        if result.districts_created:
            self.stdout.write(f"districts created: {'、'.join(result.districts_created)}")
        if result.blocks_created:
            self.stdout.write(f"blocks created: {'、'.join(result.blocks_created)}")
        self.stdout.write(self.style.SUCCESS(f"{result.changed} assignments changed"))
