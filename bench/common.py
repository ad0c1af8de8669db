"""What the benchmarks share: counting queries and building their own database afresh."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class QueryCounter:
    """A database execute wrapper (``connection.execute_wrapper``) that counts statements."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def rebuild_database() -> None:
    """The benchmark's database as ``migrate`` leaves an empty one (data migrations included):
    a SQLite file is deleted, a PostgreSQL database's schema dropped, then every migration runs."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        (ROOT / "var").mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database['NAME']}{suffix}").unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", "--no-input", verbosity=0)
