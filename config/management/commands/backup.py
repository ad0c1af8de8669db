"""``manage.py backup PATH``: a consistent copy of the whole database, taken while the
application runs.

SQLite: the online backup API (pages copied under SQLite's own locking, so writers may go on).
PostgreSQL: ``pg_dump --format=custom`` (one snapshot; Debian's postgresql-client), restored
with ``manage.py restore``. The file holds personal data: keep it like the database."""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


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
    help = "Copy the whole database to a file (SQLite backup API, or pg_dump for PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup file to write")

    def handle(self, *args, path, **options):
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            destination = sqlite3.connect(target)
            try:
                connection.connection.backup(destination)
            finally:
                destination.close()
        elif connection.vendor == "postgresql":
            args, env = pg_environment(connection.settings_dict)
            result = subprocess.run(
                [
                    "pg_dump",
                    *args,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    str(target),
                    connection.settings_dict["NAME"],
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            raise CommandError(f"No backup for the {connection.vendor} database.")
        self.stdout.write(f"backup written to {target} ({target.stat().st_size} bytes)")
