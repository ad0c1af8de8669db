"""The calendar-item and person-fields migrations keep every row: on a copy of the demo data
(``load_demo``) the three apps go back to before them and forward again, on SQLite and on
PostgreSQL alike (whichever database the run uses), and every table keeps its row count. A
lecturer dispatch that ended before it started (allowed before) is repaired, not dropped, and
the repair is in the audit trail."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

BEFORE = [
    ("supervision", "0004_input_limits"),
    ("training", "0004_lecturer_honorific_print_style"),
    ("attendance", "0001_initial"),
]


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            if table == "django_migrations":
                continue
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def assert_kept(now: dict[str, int], then: dict[str, int]) -> None:
    """Every table has its rows; a table the older schema lacks (a later migration of one of
    the three apps made it, and going back drops it) had none to lose."""
    assert now == {table: then[table] for table in now}
    assert {table: then[table] for table in then.keys() - now.keys()} == dict.fromkeys(
        then.keys() - now.keys(), 0
    )


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def back_to_latest():
    """Leave the database migrated whatever happens, for the flush and the tests after."""
    yield
    migrate(latest())


def test_the_migrations_keep_every_row_of_the_demo_back_and_forth(back_to_latest):
    call_command("load_demo", stdout=io.StringIO())
    loaded = row_counts()
    assert loaded["supervision_visit"] and loaded["training_registration"]
    assert loaded["attendance_rosterentry"] and loaded["supervision_lecturerdispatch"]

    old = migrate(BEFORE).loader.project_state(BEFORE).apps
    assert_kept(row_counts(), loaded)

    # A row the old schema allowed: a dispatch ending an hour before it starts, and on SQLite
    # (which does not enforce VARCHAR lengths; PostgreSQL never let one in) a place too long.
    long_place = "会" * (250 if connection.vendor == "sqlite" else 200)
    Dispatch = old.get_model("supervision", "LecturerDispatch")
    start = dt.datetime(2021, 7, 29, 4, 30, tzinfo=dt.UTC)
    backwards = Dispatch.objects.create(
        title="講座",
        host="社会福祉協議会",
        starts_at=start,
        ends_at=start - dt.timedelta(hours=1),
        place=long_place,
    )
    updated = Dispatch.objects.get(pk=backwards.pk).updated_at

    migrate(latest())

    from core.models import AuditEntry
    from supervision.models import LecturerDispatch

    after = row_counts()
    assert after["supervision_lecturerdispatch"] == loaded["supervision_lecturerdispatch"] + 1
    assert after["core_auditentry"] == loaded["core_auditentry"] + 1
    unchanged = {t for t in loaded if t not in ("supervision_lecturerdispatch", "core_auditentry")}
    assert {t: after[t] for t in unchanged} == {t: loaded[t] for t in unchanged}
    repaired = LecturerDispatch.objects.get(pk=backwards.pk)
    assert repaired.ends_at == start + dt.timedelta(hours=2)
    assert repaired.place == "会" * 200
    assert repaired.created_at == updated
    entry = AuditEntry.objects.for_object(repaired).get()
    assert entry.action == "supervision.lecturerdispatch.changed" and entry.actor_label == "system"
    if connection.vendor == "sqlite":
        assert entry.changes["place"] == ["会" * 250, "会" * 200]
    assert entry.changes["ends_at"][0] == (start - dt.timedelta(hours=1)).isoformat()

    # And back and forth once more on the repaired data: nothing lost either way.
    migrate(BEFORE)
    assert_kept(row_counts(), after)
    migrate(latest())
    assert row_counts() == after
