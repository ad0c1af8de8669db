"""Benchmark of the supervision progress endpoint (「実施済／予定」 per target).

Loads 1,741 targets (Japan's number of municipalities: Kochi's 34 plus 1,707 fictional ones)
with a plan in each of five fiscal years (FY2019-FY2023) and 100,000 visits over those years,
then measures in the same run:

- GET /api/supervision/progress?fiscal_year=2021&as_of=2021-09-30&limit=500 through the whole
  Django stack (session authentication, the aggregate, names and earlier-visit queries, every
  target's progress for the at-risk-first order, JSON for the first page of 500, the largest
  the API answers), all 1,741 targets read page by page (4 requests), and the complete read
  in one request (GET /api/supervision/progress/export, same parameters), and
- one hand-written SQL aggregate over the same rows giving the same answer (plans LEFT JOIN
  the fiscal year's visits, GROUP BY plan, then the names and the earlier last visit), and for
  reference a bare counts-only aggregate,

- the supervision dashboard page (/supervision/?fiscal_year=2021&as_of=2021-09-30: every
  target at-risk first, one page of rows rendered, the visits to record, the liaison meetings
  and the case-meeting goal) through the same stack, against the endpoint (goal: at most 2x),

and prints the median times, the ratios (endpoint and the complete read to SQL: at most 3x)
and the query counts (counted by an execute wrapper, so right with DEBUG off). Rerunnable: the rows are loaded once into a database of its own and reused.

    .venv/bin/python bench/progress.py                      # SQLite file var/bench_progress.sqlite3
    DATABASE_URL=postgres://user:pass@host/bench_db .venv/bin/python bench/progress.py
    .venv/bin/python bench/progress.py --repeat 30 --reload
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import QueryCounter  # noqa: E402

os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_progress.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")  # no query log in memory, as in production
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_COOKIES", "false")  # the test client speaks plain HTTP
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# It measures the read, not the login: the session is a password login (as with DEBUG).
os.environ.setdefault("SECOND_FACTOR_REQUIRED", "false")

TARGETS = 1741
VISITS = 100_000
FISCAL_YEARS = range(2019, 2024)
PREFIX = "ベンチ市"
BATCH = 5000


def say(message: str) -> None:
    print(message, flush=True)


def load(reload: bool) -> None:
    import datetime as dt

    from django.core.management import call_command
    from django.db import transaction

    from core.fiscal import TOKYO
    from directory.models import Block, District, Municipality
    from supervision.models import Plan, Target, Visit

    (ROOT / "var").mkdir(exist_ok=True)
    say("→ migrating the benchmark database …")
    call_command("migrate", verbosity=0)
    if reload:
        say("→ removing the previous benchmark rows …")
        Visit.objects.all().delete()
        Plan.objects.all().delete()
        Target.objects.filter(municipality__name__startswith=PREFIX).delete()
        Municipality.objects.filter(name__startswith=PREFIX).delete()
    if (
        Visit.objects.count() >= VISITS
        and Target.objects.filter(kind="municipality").count() >= TARGETS
    ):
        say(f"→ reusing {Visit.objects.count():,} visits already loaded (--reload to start over)")
        return
    rng = random.Random(1741)
    with transaction.atomic():
        blocks, districts = list(Block.objects.all()), list(District.objects.all())
        missing = TARGETS - Municipality.objects.count()
        say(f"→ creating {missing:,} fictional municipalities and their targets …")
        Municipality.objects.bulk_create(
            Municipality(
                name=f"{PREFIX}{index:04d}",
                kana=f"べんちし{index:04d}",
                kind="city",
                district=districts[index % len(districts)],
                block=blocks[index % len(blocks)],
                order=100 + index,
            )
            for index in range(missing)
        )
        Target.objects.bulk_create(
            Target(kind="municipality", municipality=municipality)
            for municipality in Municipality.objects.filter(supervision_target__isnull=True)
        )
        targets = list(Target.objects.filter(kind="municipality").values_list("id", flat=True))
        say(
            f"→ {len(targets):,} municipal targets; plans for FY{FISCAL_YEARS[0]}-FY{FISCAL_YEARS[-1]} …"
        )
        Plan.objects.bulk_create(
            (
                Plan(target_id=target, fiscal_year=year, planned=rng.randint(2, 12))
                for target in targets
                for year in FISCAL_YEARS
            ),
            batch_size=BATCH,
        )
        say(f"→ {VISITS:,} visits …")
        statuses = ["done"] * 14 + ["scheduled"] * 4 + ["cancelled", "postponed"]
        kinds = [choice for choice, _ in Visit.Kind.choices]
        first = dt.datetime(FISCAL_YEARS[0], 4, 1, 9, tzinfo=TOKYO)
        days = (dt.date(FISCAL_YEARS[-1] + 1, 3, 31) - first.date()).days
        batch = []
        for index in range(VISITS):
            starts_at = first + dt.timedelta(days=rng.randrange(days), hours=rng.randrange(8))
            batch.append(
                Visit(
                    target_id=rng.choice(targets),
                    kind=rng.choice(kinds),
                    starts_at=starts_at,
                    ends_at=starts_at + dt.timedelta(hours=2),
                    status=rng.choice(statuses),
                )
            )
            if len(batch) == BATCH:
                Visit.objects.bulk_create(batch)
                batch = []
                say(f"   {index + 1:>7,} / {VISITS:,}")
        Visit.objects.bulk_create(batch)
    say("→ analysing …")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# The same answer as the endpoint, written by hand: per plan of the year the counts done,
# scheduled and overdue, the last done visit (from earlier years when none this year) and the
# target's name as the seed writes it.
HAND_WRITTEN = """
WITH year AS (
    SELECT p.id, p.target_id, p.planned,
           SUM(CASE WHEN v.status = 'done' AND v.starts_at < %(cutoff)s THEN 1 ELSE 0 END)
               AS done,
           SUM(CASE WHEN v.starts_at >= %(cutoff)s AND v.status <> 'cancelled' THEN 1 ELSE 0 END)
               AS scheduled,
           SUM(CASE WHEN v.status IN ('scheduled', 'postponed') AND v.starts_at < %(cutoff)s
                    THEN 1 ELSE 0 END) AS overdue,
           MAX(CASE WHEN v.status = 'done' AND v.starts_at < %(cutoff)s THEN v.starts_at END)
               AS last_done
    FROM supervision_plan p
    LEFT JOIN supervision_visit v
           ON v.target_id = p.target_id AND v.starts_at >= %(start)s AND v.starts_at < %(end)s
    WHERE p.fiscal_year = %(fiscal_year)s
    GROUP BY p.id, p.target_id, p.planned
)
SELECT year.id, year.planned, year.done, year.scheduled, year.overdue,
       COALESCE(year.last_done, (SELECT MAX(e.starts_at) FROM supervision_visit e
                                 WHERE e.target_id = year.target_id AND e.status = 'done'
                                   AND e.starts_at < %(start)s)) AS last_done,
       CASE WHEN t.kind = 'district' THEN d.office_name || '管内'
            ELSE COALESCE(m.name, o.name) END AS name
FROM year
JOIN supervision_target t ON t.id = year.target_id
LEFT JOIN directory_municipality m ON m.id = t.municipality_id
LEFT JOIN directory_district d ON d.id = t.district_id
LEFT JOIN directory_partnerorganization o ON o.id = t.organization_id
"""

# Only the counts, for reference: the least any answer must cost.
COUNTS_ONLY = """
SELECT p.id, p.planned,
       SUM(CASE WHEN v.status = 'done' AND v.starts_at < %(cutoff)s THEN 1 ELSE 0 END) AS done,
       SUM(CASE WHEN v.starts_at >= %(cutoff)s AND v.status <> 'cancelled' THEN 1 ELSE 0 END)
           AS scheduled
FROM supervision_plan p
LEFT JOIN supervision_visit v
       ON v.target_id = p.target_id AND v.starts_at >= %(start)s AND v.starts_at < %(end)s
WHERE p.fiscal_year = %(fiscal_year)s
GROUP BY p.id, p.planned
"""


def measure(repeat: int) -> None:
    import datetime as dt

    from django.db import connection
    from django.test import Client

    from core.fiscal import TOKYO, fiscal_year_bounds
    from directory.models import User

    user, _ = User.objects.get_or_create(username="bench-center", defaults={"role": "center"})
    client = Client()
    client.force_login(user)  # the staff session, as the dashboard uses it
    url = "/api/supervision/progress?fiscal_year=2021&as_of=2021-09-30&limit=500"
    start, end = fiscal_year_bounds(2021)
    adapt = connection.ops.adapt_datetimefield_value  # as the ORM stores them (UTC text on SQLite)
    params = {
        "cutoff": adapt(dt.datetime(2021, 10, 1, tzinfo=TOKYO)),
        "start": adapt(start),
        "end": adapt(end),
        "fiscal_year": 2021,
    }

    def endpoint(offset: int = 0):
        response = client.get(f"{url}&offset={offset}")
        assert response.status_code == 200, response.content[:200]
        return response

    def all_pages() -> list[dict]:
        items, count = [], None
        while count is None or len(items) < count:
            page = endpoint(len(items)).json()
            items += page["items"]
            count = page["count"]
        return items

    export_url = "/api/supervision/progress/export?fiscal_year=2021&as_of=2021-09-30"

    def export() -> list[dict]:
        response = client.get(export_url)
        assert response.status_code == 200, response.content[:200]
        return response.json()

    page_url = "/supervision/?fiscal_year=2021&as_of=2021-09-30"

    def dashboard():
        response = client.get(page_url)
        assert response.status_code == 200, response.content[:200]
        return response

    def hand_written():
        with connection.cursor() as cursor:
            cursor.execute(HAND_WRITTEN, params)
            return cursor.fetchall()

    def counts_only():
        with connection.cursor() as cursor:
            cursor.execute(COUNTS_ONLY, params)
            return cursor.fetchall()

    def counted(function):
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            result = function()
        return result, counter.count

    rows = hand_written()
    endpoint()  # the session, once
    page, queries = counted(lambda: endpoint().json())
    answer, all_queries = counted(all_pages)
    whole, export_queries = counted(export)
    items = len(answer)
    say(
        f"→ endpoint answers {len(page['items']):,} of {page['count']:,} targets in "
        f"{queries} queries, all pages in {all_queries}, the export {len(whole):,} in "
        f"{export_queries}; SQL gives {len(rows):,} rows"
    )
    page, page_queries = counted(dashboard)
    say(f"→ dashboard page: {len(page.content) / 1024:,.0f} KB of HTML in {page_queries} queries")
    same = {(r["name"], r["done"], r["scheduled"], r["overdue"]) for r in answer} == {
        (row[6], row[2], row[3], row[4]) for row in rows
    }
    say(
        f"→ the endpoint and the hand-written SQL agree: {same}; the export is all pages: "
        f"{whole == answer}"
    )

    def timed(function) -> float:
        started = time.perf_counter()
        function()
        return time.perf_counter() - started

    for _ in range(3):  # warm caches
        endpoint(), hand_written(), counts_only(), dashboard()
    say(f"→ timing {repeat} runs of each, interleaved …")
    endpoint_times, sql_times, counts_times, page_times, all_times = [], [], [], [], []
    export_times = []
    for _ in range(repeat):
        endpoint_times.append(timed(endpoint))
        sql_times.append(timed(hand_written))
        counts_times.append(timed(counts_only))
        page_times.append(timed(dashboard))
        all_times.append(timed(all_pages))
        export_times.append(timed(export))
    api_ms = statistics.median(endpoint_times) * 1000
    all_ms = statistics.median(all_times) * 1000
    export_ms = statistics.median(export_times) * 1000
    sql_ms = statistics.median(sql_times) * 1000
    counts_ms = statistics.median(counts_times) * 1000
    page_ms = statistics.median(page_times) * 1000
    say("")
    say(f"database              {connection.vendor}")
    say(
        f"targets / visits      {items:,} / {VISITS:,} over FY{FISCAL_YEARS[0]}-FY{FISCAL_YEARS[-1]}"
    )
    say(f"endpoint (median)     {api_ms:8.1f} ms   (one page of 500, the order over all)")
    say(f"all pages             {all_ms:8.1f} ms   ({items:,} targets, 500 a request)")
    say(f"hand-written SQL      {sql_ms:8.1f} ms   (the same answer, all targets)")
    say(f"ratio                 {api_ms / sql_ms:8.2f}x   (goal: at most 3x)")
    say(f"all pages / SQL       {all_ms / sql_ms:8.2f}x   (for information: 4 computations)")
    say(f"complete read         {export_ms:8.1f} ms   ({len(whole):,} targets in one request)")
    say(f"complete read / SQL   {export_ms / sql_ms:8.2f}x   (goal: at most 3x)")
    say(f"counts-only SQL       {counts_ms:8.1f} ms   (reference: done and scheduled only)")
    say(f"ratio to counts-only  {api_ms / counts_ms:8.2f}x")
    say(f"dashboard page        {page_ms:8.1f} ms   (HTML, {len(page.content) / 1024:,.0f} KB)")
    say(f"page / endpoint       {page_ms / api_ms:8.2f}x   (goal: at most 2x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--reload", action="store_true", help="delete and load the rows again")
    args = parser.parse_args()

    import django

    django.setup()
    load(args.reload)
    measure(args.repeat)


if __name__ == "__main__":
    main()
