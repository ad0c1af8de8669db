"""Benchmark of what a transactional test costs after it ran: Django's flush of every table and
the return of the rows the data migrations made, in the two ways the suite has used.

- serialized: Django's serialized rollback (the flush without ``post_migrate``, then every row
  of the migrated database, content types and permissions included, loaded back from JSON),
  forced on every transactional test until November 2026;
- replay: the flush with ``post_migrate`` (content types and permissions re-created), then the
  data migrations run again (tests/data_migrations.py), what the suite does now.

The two alternate, cycle by cycle, so that a busy machine slows both alike. Prints the median
and the queries of each.

    .venv/bin/python bench/flush.py                          # SQLite file var/bench_flush.sqlite3
    DATABASE_URL=postgres://user:pass@host/bench_db .venv/bin/python bench/flush.py
    .venv/bin/python bench/flush.py --cycles 40

Rerunnable: the database is rebuilt each time. Asserts nothing about time.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import QueryCounter, rebuild_database  # noqa: E402

os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_flush.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def serialized(contents: str) -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("flush", "--no-input", verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(contents)


def replay() -> None:
    from django.core.management import call_command

    from tests.data_migrations import replay as run_data_migrations

    call_command("flush", "--no-input", verbosity=0)
    run_data_migrations()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    rebuild_database()
    contents = connection.creation.serialize_db_to_string()
    rows = {}
    times = {"serialized": [], "replay": []}
    queries = {}
    for _ in range(args.cycles):
        for name, run in (("serialized", lambda: serialized(contents)), ("replay", replay)):
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                start = time.perf_counter()
                run()
                times[name].append(time.perf_counter() - start)
            queries[name] = counter.count
            with connection.cursor() as cursor:
                tables = connection.introspection.django_table_names(only_existing=True)
                total = 0
                for table in tables:
                    cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                    total += cursor.fetchone()[0]
            rows[name] = total
    print(f"{connection.vendor}, {args.cycles} cycles each, rows after: {rows}")
    for name, values in times.items():
        print(
            f"  {name:10} median {statistics.median(values) * 1000:6.1f} ms"
            f"  (min {min(values) * 1000:.1f})  {queries[name]} queries"
        )


if __name__ == "__main__":
    main()
