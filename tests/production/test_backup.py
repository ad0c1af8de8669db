"""``manage.py backup`` and ``manage.py restore`` round trip on the database the suite runs on
(SQLite's backup API, or pg_dump / pg_restore on PostgreSQL): after changes, a restore brings
back every table's row count and a checksum of all its rows."""

import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.training.factories import EventFactory, RegistrationFactory
from training.models import Registration

pytestmark = pytest.mark.django_db(transaction=True)


def fingerprint() -> dict[str, tuple[int, str]]:
    """Per table: (row count, SHA-256 of its rows sorted)."""
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            tables[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return tables


def test_backup_then_restore_gives_back_every_table(tmp_path, center_staff):
    event = EventFactory(title="バックアップ研修")
    RegistrationFactory.create_batch(5, event=event)
    RegistrationFactory(event=event, status="waitlisted", name="待ち 花子")
    before = fingerprint()
    path = tmp_path / "sasaeru.backup"

    call_command("backup", str(path))
    Registration.objects.filter(name="待ち 花子").delete()
    RegistrationFactory.create_batch(3, event=EventFactory(title="後から"))
    assert fingerprint() != before
    call_command("restore", str(path), "--yes")

    after = fingerprint()
    assert sum(count for count, _ in before.values()) > 100  # the directory and the rows above
    assert after == before


def test_restore_needs_yes(tmp_path):
    path = tmp_path / "b"
    call_command("backup", str(path))
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(path))
