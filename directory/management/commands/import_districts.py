from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import uploads
from core.commands import LocalizedCommand
from directory import area_files


class Command(LocalizedCommand):
    help = gettext_noop(
        "Import the prefecture's districts (CSV: district,municipality_code) and optionally its "
        "blocks (CSV: block,district). All or nothing; the same files again change nothing. "
        "Example: directory/data/kochi_districts.csv, directory/data/kochi_blocks.csv. "
        "Answers in the active language (Japanese by default) with exit status 1 on any error, "
        "listing at most the first 50 errors of the files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "districts", nargs="?", help=gettext_noop("districts file (district,municipality_code)")
        )
        parser.add_argument("--blocks", help=gettext_noop("blocks file (block,district)"))

    def handle(self, *args, districts=None, blocks=None, **options):
        if not districts and not blocks:
            raise CommandError(_("Give a districts file, a blocks file (--blocks) or both."))
        try:
            result = area_files.import_areas(
                districts=_read(districts, _("districts file")) if districts else None,
                blocks=_read(blocks, _("blocks file")) if blocks else None,
            )
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from None  # capped by the reader
        if not result.changed_anything:
            self.stdout.write(_("The files change nothing."))
            return
        if result.districts_created:
            self.stdout.write(
                _("Districts added: %(names)s") % {"names": "、".join(result.districts_created)}
            )
        if result.blocks_created:
            self.stdout.write(
                _("Blocks added: %(names)s") % {"names": "、".join(result.blocks_created)}
            )
        self.stdout.write(
            self.style.SUCCESS(_("%(count)d assignments changed.") % {"count": result.changed})
        )


def _read(path: str, label: str) -> bytes:
    """The file's bytes, its size checked before it is read (core.uploads); a file that cannot
    be read is an error naming it, not a traceback."""
    try:
        file = Path(path)
        uploads.check_size(file.stat().st_size, label=label, max_bytes=area_files.MAX_BYTES)
        return file.read_bytes()
    except OSError as error:
        raise CommandError(
            _("%(file)s: cannot read %(path)s (%(reason)s).")
            % {"file": label, "path": path, "reason": _reason(error)}
        ) from None


def _reason(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return _("no such file")
    if isinstance(error, PermissionError):
        return _("no permission to read it")
    if isinstance(error, IsADirectoryError):
        return _("it is a folder")
    return _("the file system refused it")
