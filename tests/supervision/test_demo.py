import datetime as dt

import pytest

from core.fiscal import TOKYO
from directory import demo as directory_demo
from supervision import demo
from supervision.models import Visit
from tests.conftest import client_for
from training.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_loaded(db):
    directory_demo.load()
    demo.load()


def test_demo_gives_the_seeds_progress_at_the_end_of_september_2021(demo_loaded, center_staff):
    response = client_for(center_staff).get(
        "/api/supervision/progress?fiscal_year=2021&as_of=2021-09-30"
    )

    assert sorted(
        (row["name"], f"{row['done']}/{row['planned']}") for row in response.json()["items"]
    ) == sorted(
        [
            ("いの町", "2/5"),
            ("須崎市", "1/5"),
            ("中土佐町", "1/2"),
            ("四万十町", "1/2"),
            ("幡多福祉保健所管内", "0/2"),
            ("若者サポートステーション", "2/5"),
        ]
    )
    assert {
        row["done"] + row["scheduled"] - row["planned"] for row in response.json()["items"]
    } == {0}


def test_demo_holds_the_first_round_liaison_meetings(demo_loaded):
    first_round = [
        (event.starts_at.astimezone(TOKYO).date().isoformat(), event.block.name)
        for event in Event.objects.liaison_meetings()
        .filter(starts_at__lt=dt.datetime(2021, 10, 1, tzinfo=TOKYO))
        .select_related("block")
    ]

    assert first_round == [("2021-06-10", "西部"), ("2021-06-16", "中央"), ("2021-06-25", "東部")]


def test_demo_summaries_hold_no_personal_notes_and_loading_twice_changes_nothing(demo_loaded):
    counts = (Visit.objects.count(), Event.objects.count())

    demo.load()

    assert (Visit.objects.count(), Event.objects.count()) == counts
    assert not Visit.objects.filter(public_summary__contains="さん").exists()
