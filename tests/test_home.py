"""The home page by role: the public's open trainings; municipal and health-office staff's own
progress and calendar; the center's day. Within what the user may see."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.fiscal import TOKYO, fiscal_year_of, today
from directory import demo as directory_demo
from directory.models import Municipality, User
from supervision import demo as supervision_demo
from supervision.models import Plan
from tests.conftest import client_for
from tests.supervision.conftest import at, target
from tests.supervision.factories import VisitFactory
from tests.training.factories import EventFactory

pytestmark = pytest.mark.django_db


def in_days(days: int) -> dt.datetime:
    return dt.datetime.combine(today() + dt.timedelta(days=days), dt.time(13), TOKYO)


def arrange(count: int) -> None:
    for n in range(count):
        EventFactory(
            title=f"研修{n}", starts_at=in_days(3), ends_at=in_days(3) + dt.timedelta(hours=2)
        )
        VisitFactory(
            target=target("須崎市"),
            starts_at=at(in_days(5).date().isoformat()),
            confidential_notes=f"本人の氏名{n}",
        )
        VisitFactory(target=target("いの町"), starts_at=at(in_days(6).date().isoformat()))


def test_home_lists_the_next_two_weeks_for_center_staff(center_staff):
    arrange(1)
    EventFactory(
        title="ずっと先の研修", starts_at=in_days(40), ends_at=in_days(40) + dt.timedelta(hours=2)
    )

    page = client_for(center_staff).get("/").content.decode()

    assert "研修0" in page
    assert "ずっと先の研修" not in page
    assert "須崎市" in page and "いの町" in page
    assert "本人の氏名" not in page


def test_home_shows_a_municipal_user_only_their_own_visits(municipal_staff):
    arrange(1)

    response = client_for(municipal_staff).get("/")

    assert [visit.target.name for visit in response.context["visits"]] == ["いの町"]
    assert "reports/" not in response.content.decode()


def test_home_query_count_does_not_grow(center_staff, django_assert_num_queries):
    client = client_for(center_staff)
    arrange(1)
    client.get("/")
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    arrange(10)

    with django_assert_num_queries(len(one.captured_queries)):
        client.get("/")


def test_public_home_lists_open_trainings_with_a_register_button(db):
    EventFactory(
        title="ひきこもり支援の基礎", starts_at=dt.datetime(2030, 12, 16, 13, 30, tzinfo=TOKYO)
    )
    EventFactory(title="下書きの研修", status="draft")

    page = client_for(None).get("/").content.decode()

    assert "ひきこもり支援の基礎" in page and "下書きの研修" not in page
    assert "令和12年12月16日（月） 13:30" in page
    assert "申し込む" in page and "残り30席" in page
    assert "職員ログイン" in page  # still there, no longer the only button


def test_center_home_shows_today_with_a_check_in_button_and_targets_at_risk(center_staff):
    event = EventFactory(
        title="今日の研修", starts_at=in_days(0), ends_at=in_days(0) + dt.timedelta(hours=2)
    )
    VisitFactory(target=target("須崎市"), starts_at=at(in_days(-3).date().isoformat()))
    Plan.objects.update_or_create(
        target=target("須崎市"), fiscal_year=fiscal_year_of(today()), defaults={"planned": 6}
    )

    response = client_for(center_staff).get("/")
    page = response.content.decode()

    assert [e.title for e in response.context["today_events"]] == ["今日の研修"]
    assert f'href="/attendance/events/{event.pk}/check-in/"' in page
    assert "須崎市" in [item.name for item in response.context["at_risk"]]
    assert [v.target.name for v in response.context["to_record"]] == ["須崎市"]


def test_health_office_home_shows_every_municipality_of_the_district_with_its_progress(
    health_office_staff,
):
    arrange(1)
    year = fiscal_year_of(today())
    Plan.objects.create(target=target("四万十市"), fiscal_year=year, planned=3)
    Plan.objects.create(target=target("幡多福祉保健所管内"), fiscal_year=year, planned=2)
    VisitFactory(target=target("四万十市"), starts_at=in_days(-30), status="done")
    VisitFactory(target=target("四万十市"), starts_at=in_days(4), kind="case_meeting")
    VisitFactory(target=target("いの町"), starts_at=in_days(4), kind="supervision")
    EventFactory(
        title="西部ブロック連絡会",
        kind="liaison_meeting",
        block=Municipality.objects.get(name="四万十市").block,
        starts_at=in_days(12),
        ends_at=in_days(12) + dt.timedelta(hours=2),
    )

    response = client_for(health_office_staff).get("/")
    page = response.content.decode()

    rows = {m.name: item for m, item in response.context["district_rows"]}
    district_municipalities = Municipality.objects.filter(district__name="幡多")
    assert list(rows) == [m.name for m in district_municipalities] and len(rows) == 6
    assert (rows["四万十市"].done, rows["四万十市"].planned) == (1, 3)
    assert rows["宿毛市"] is None
    assert '宿毛市</span> <span class="muted">今年度の計画なし' in page
    assert "1 / 3 回実施" in page and "0 / 2 回実施" in page  # the district's own target too
    assert "いの町" not in page  # outside the district
    assert "四万十市" in response.context["visits"][0].target.name
    assert "西部ブロック連絡会" in page
    # One calendar link for the whole district, no choice among its municipalities.
    assert 'name="kind" value="district"' in page
    assert 'name="municipality"' not in page
    assert f'name="district" value="{health_office_staff.district_id}"' in page
    assert not re.search(r"\d{4}-\d{2}-\d{2}", page)


def test_health_office_staff_get_their_districts_calendar_in_one_post_from_home(
    health_office_staff,
):
    page = client_for(health_office_staff).get("/").content.decode()
    form = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))

    response = client_for(health_office_staff).post("/calendar/links/", form)

    assert form["kind"] == "district" and form["label"] == "幡多福祉保健所のカレンダー"
    assert response.status_code == 201
    assert "幡多福祉保健所" in response.content.decode()


def test_municipal_staff_get_their_calendar_in_one_post_from_home(municipal_staff):
    page = client_for(municipal_staff).get("/").content.decode()
    ino = Municipality.objects.get(name="いの町")

    assert f'<input type="hidden" name="municipality" value="{ino.pk}">' in page
    response = client_for(municipal_staff).post(
        "/calendar/links/",
        {"kind": "municipality", "municipality": ino.pk, "label": "いの 町子のカレンダー"},
    )
    assert response.status_code == 201
    assert "APIトークン" not in page and "研修・行事" not in page


def test_japanese_names_in_english_pages_are_marked_lang_ja(center_staff):
    client = client_for(center_staff)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    english = client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "ja", "next": "/"})
    japanese = client.get("/").content.decode()

    assert '<span class="who name" lang="ja">支援 花子</span>' in english
    assert '<span class="who name">支援 花子</span>' in japanese
    assert "本文へ移動" in japanese and "Skip to main content" in english


def test_the_home_cards_write_dates_in_one_form(municipal_staff):
    """Neighbouring cards of the home page (the visits and the meetings) use the long 和暦 form
    alike, never R8.12.22 next to 令和9年1月17日 (issue #21)."""
    import datetime as _dt
    import re as _re

    from django.utils import timezone as _tz

    from tests.conftest import client_for as _client_for
    from tests.supervision.conftest import target as _target
    from tests.supervision.factories import VisitFactory

    when = (_tz.now() + _dt.timedelta(days=5)).replace(hour=4, minute=30, second=0, microsecond=0)
    VisitFactory(target=_target("いの町"), starts_at=when, ends_at=when + _dt.timedelta(hours=2))

    page = _client_for(municipal_staff).get("/").content.decode()

    assert "13:30" in page and "令和" in page
    assert not _re.search(r"\b[RHS]\d+\.\d+\.\d+", page)


def test_the_demos_health_office_home_is_not_empty(db):
    directory_demo.load()
    supervision_demo.load()

    response = client_for(User.objects.get(username="hata")).get("/")
    page = response.content.decode()

    planned = [item for _m, item in response.context["district_rows"] if item]
    assert [item.name for item in planned] == ["四万十市"]
    assert [item.name for item in response.context["other_progress"]] == ["幡多福祉保健所管内"]
    assert response.context["visits"] and response.context["liaison_meetings"]
    assert "今年度の訪問計画はまだありません。" not in page
    assert "予定されている訪問はありません。" not in page
