"""A transactional test's flush empties the database; the data migrations then run again
(tests/data_migrations.py), so the next test finds every row ``migrate`` made."""

import pytest
from django.core.management import call_command
from django.db import connection

from directory.models import Municipality
from supervision.models import Target


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db(transaction=True)
def test_a_flush_gives_back_every_row_the_migrations_made():
    before = row_counts()
    codes = set(Municipality.objects.values_list("code", flat=True))
    assert len(codes) == 34  # Kochi's municipalities
    assert Target.objects.count() > 34

    call_command("flush", "--no-input", verbosity=0)

    assert row_counts() == before
    assert set(Municipality.objects.values_list("code", flat=True)) == codes
