"""``manage.py backup`` and ``manage.py restore`` round trip on the database the suite runs on
(SQLite's backup API, or pg_dump / pg_restore on PostgreSQL): after changes, a restore brings
back every table's row count and a checksum of all its rows."""

import hashlib
import io
import os
import stat
from pathlib import Path

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


# --- backups stay private (issue #19) -----------------------------------------------------


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_backup_is_0600_in_a_0700_directory_under_umask_022(tmp_path, umask_022):
    target = tmp_path / "new" / "backups" / "sasaeru.backup"

    call_command("backup", str(target), stdout=io.StringIO())

    assert (mode(target), mode(target.parent), mode(target.parent.parent)) == (0o600, 0o700, 0o700)
    assert [path.name for path in target.parent.iterdir()] == ["sasaeru.backup"]  # no leftovers


def test_the_backup_directory_is_made_private_and_rotated(tmp_path, umask_022, settings):
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_DIR.mkdir(mode=0o755)
    os.chmod(settings.BACKUP_DIR, 0o755)
    for day in range(1, 17):  # 16 older nightly backups, and a file of the operator's
        (settings.BACKUP_DIR / f"sasaeru-202611{day:02d}-030000.backup").write_bytes(b"old")
    (settings.BACKUP_DIR / "before-upgrade.backup").write_bytes(b"keep me")

    call_command("backup", stdout=io.StringIO())

    names = sorted(path.name for path in settings.BACKUP_DIR.iterdir())
    [new] = [name for name in names if not name.startswith(("sasaeru-202611", "before"))]
    assert mode(settings.BACKUP_DIR) == 0o700
    assert mode(settings.BACKUP_DIR / new) == 0o600
    assert len(names) == 15  # the newest 14 (the new one included) and the operator's file
    assert "before-upgrade.backup" in names
    assert "sasaeru-20261103-030000.backup" not in names
    assert "sasaeru-20261116-030000.backup" in names


def test_keep_n_is_an_option_and_at_least_one(tmp_path, settings):
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_DIR.mkdir()
    for day in (1, 2, 3):
        (settings.BACKUP_DIR / f"sasaeru-2026110{day}-030000.backup").write_bytes(b"old")

    call_command("backup", "--keep", "1", stdout=io.StringIO())

    [kept] = settings.BACKUP_DIR.iterdir()
    assert not kept.name.startswith("sasaeru-202611") and kept.stat().st_size > 1000
    with pytest.raises(CommandError, match="--keep"):
        call_command("backup", "--keep", "0")


def test_a_backup_from_the_backup_directory_restores(tmp_path, settings, center_staff):
    settings.BACKUP_DIR = tmp_path / "backups"
    before = fingerprint()
    call_command("backup", stdout=io.StringIO())
    EventFactory(title="後から")

    [backup] = settings.BACKUP_DIR.iterdir()
    call_command("restore", str(backup), "--yes", stdout=io.StringIO())

    assert fingerprint() == before
