"""``manage.py backup [PATH]``: a consistent copy of the whole database, taken while the
application runs.

SQLite: the online backup API (pages copied under SQLite's own locking, so writers may go on).
PostgreSQL: ``pg_dump --format=custom`` (one snapshot; Debian's postgresql-client), restored
with ``manage.py restore``. The file holds personal data, password hashes and confidential
notes, so it is private whatever the umask: the file is created 0600 (written under a temporary
name, then renamed, so no half-written backup is ever in place) and a directory the command
creates, or the backup directory, is 0700.

Without PATH the backup goes to ``BACKUP_DIR`` as ``sasaeru-YYYYMMDD-HHMMSS.backup`` and only the
newest ``--keep`` (``BACKUP_KEEP``, 14) such files stay: older ones are removed. Files with
other names are never touched."""

import os
import re
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

NAME = re.compile(r"^sasaeru-\d{8}-\d{6}\.backup$")


def pg_environment(settings_dict: dict) -> tuple[list[str], dict]:
    """Connection arguments and environment (the password) for pg_dump / pg_restore."""
    args = [
        "--host",
        settings_dict["HOST"] or "127.0.0.1",
        "--port",
        str(settings_dict["PORT"] or 5432),
        "--username",
        settings_dict["USER"],
    ]
    return args, {**os.environ, "PGPASSWORD": settings_dict["PASSWORD"] or ""}


class Command(BaseCommand):
    help = (
        "Copy the whole database to a private file (SQLite backup API, or pg_dump for "
        "PostgreSQL); without a path, into BACKUP_DIR, keeping the newest BACKUP_KEEP."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", help="the backup file to write (default: BACKUP_DIR)"
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="backups to keep in BACKUP_DIR, the new one included (default BACKUP_KEEP, 14)",
        )

    def handle(self, *args, path=None, keep=None, **options):
        keep = settings.BACKUP_KEEP if keep is None else keep
        if keep < 1:
            raise CommandError("--keep must be at least 1.")
        if path:
            target = Path(path)
            private_directory(target.parent, tighten=False)
        else:
            directory = Path(settings.BACKUP_DIR)
            private_directory(directory, tighten=True)
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            target = directory / f"sasaeru-{stamp}.backup"
        write_privately(target)
        self.stdout.write(f"backup written to {target} ({target.stat().st_size} bytes)")
        if not path:
            for old in rotate(target.parent, keep=keep):
                self.stdout.write(f"removed the old backup {old}")


def private_directory(directory: Path, *, tighten: bool) -> None:
    """Create ``directory`` (and missing parents) 0700; ``tighten`` makes an existing one 0700."""
    missing = []
    for parent in [directory, *directory.parents]:
        if parent.exists():
            break
        missing.append(parent)
    for created in reversed(missing):
        created.mkdir(mode=0o700)
        os.chmod(created, 0o700)  # mkdir's mode passes through the umask
    if tighten:
        os.chmod(directory, 0o700)


def write_privately(target: Path) -> None:
    """The backup into a 0600 temporary file beside ``target``, renamed into place."""
    descriptor, temporary = tempfile.mkstemp(prefix=".backup-", dir=target.parent)  # 0600
    try:
        os.fchmod(descriptor, 0o600)
        if connection.vendor == "sqlite":
            os.close(descriptor)
            descriptor = None
            connection.ensure_connection()
            destination = sqlite3.connect(temporary)
            try:
                connection.connection.backup(destination)
            finally:
                destination.close()
        elif connection.vendor == "postgresql":
            pg_dump(descriptor)
        else:
            raise CommandError(f"No backup for the {connection.vendor} database.")
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    finally:
        if descriptor is not None:
            os.close(descriptor)


def pg_dump(descriptor: int) -> None:
    args, env = pg_environment(connection.settings_dict)
    result = subprocess.run(
        [
            "pg_dump",
            *args,
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            connection.settings_dict["NAME"],
        ],
        env=env,
        stdout=descriptor,
        stderr=subprocess.PIPE,
        text=True,
    )
    if result.returncode != 0:
        raise CommandError(f"pg_dump failed: {result.stderr.strip()}")


def rotate(directory: Path, *, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` backups this command named in ``directory``."""
    backups = sorted(path for path in directory.iterdir() if NAME.match(path.name))
    old = backups[:-keep]
    for path in old:
        path.unlink()
    return old
