"""``manage.py restore PATH --yes``: replace the whole database with a backup made by
``manage.py backup`` (stop the web server and the job clusters first).

SQLite: the backup API copies the file into the database. PostgreSQL: ``pg_restore --clean``
in one transaction (all or nothing). Every row written since the backup is lost."""

import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from config.management.commands.backup import pg_environment


class Command(BaseCommand):
    help = "Replace the whole database with a backup file (manage.py backup)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup file to read")
        parser.add_argument(
            "--yes", action="store_true", help="confirm: every current row is replaced"
        )

    def handle(self, *args, path, yes, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"{source} is not a file.")
        if not yes:
            raise CommandError("This replaces every row of the database: add --yes to go on.")
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            origin = sqlite3.connect(source)
            try:
                origin.backup(connection.connection)
            finally:
                origin.close()
        elif connection.vendor == "postgresql":
            connection.close()  # nothing of ours holds a lock on the tables being replaced
            args, env = pg_environment(connection.settings_dict)
            result = subprocess.run(
                [
                    "pg_restore",
                    *args,
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--dbname",
                    connection.settings_dict["NAME"],
                    str(source),
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
        else:
            raise CommandError(f"No restore for the {connection.vendor} database.")
        self.stdout.write(f"database restored from {source}")
