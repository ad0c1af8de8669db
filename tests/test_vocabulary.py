"""The prefecture's own words and goal come from the center's profile (issue #20): Kochi's data
keeps Kochi's words, another prefecture gets words that fit any prefecture, and staff change
them on the profile page (audited)."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from core import audit
from core import center as core_center
from core.vocabulary import affiliation_choices
from directory.models import CenterProfile, User
from tests.conftest import client_for
from tests.training.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_kochis_installation_keeps_kochis_words():
    profile = CenterProfile.objects.get()
    assert profile.health_office_name == "福祉保健所"
    assert ["community_center", "あったかふれあいセンター職員"] in profile.affiliations
    assert profile.sections["ibasho"] == "居場所づくり支援（青年期の集い）"
    assert (profile.goal_fiscal_year, profile.goal_share) == (2023, 100)
    assert str(User.Role.HEALTH_OFFICE.label) == "福祉保健所職員"


def test_kochis_goal_is_shown_with_its_progress(center_staff):
    page = client_for(center_staff).get("/supervision/case-meetings/?fy=2021").content.decode()

    assert "県は令和5年度までに全市町村でのケース会議開催を目指しています。" in page
    assert re.search(
        r"令和5年度までの目標：市町村の100%（34市町村中34）。達成まであと\d+市町村", page
    )


@pytest.fixture
def hokkaido(db):
    call_command("setup_prefecture", "北海道", stdout=io.StringIO())


def test_another_prefecture_gets_words_that_fit_any_prefecture(hokkaido, center_staff):
    center = core_center.current()
    assert (center.health_office, center.prefecture_kind, center.goal_fiscal_year) == (
        "保健所",
        "道",
        None,
    )
    assert str(User.Role.HEALTH_OFFICE.label) == "保健所職員"
    assert "community_center" not in dict(affiliation_choices())
    staff = client_for(center_staff)
    goal_page = staff.get("/supervision/case-meetings/").content.decode()
    assert "目標" not in re.sub(r"<title>.*?</title>|<h1>.*?</h1>", "", goal_page, flags=re.S)
    event = EventFactory()
    form = Client().get(f"/training/events/{event.pk}/").content.decode()
    assert "（なし・道外）" in form and "県外" not in form
    assert "道のスケジュール管理システム" in Client().get("/").content.decode()


def test_staff_set_the_words_and_the_goal_on_the_profile_page(hokkaido, center_staff):
    staff = client_for(center_staff)
    response = staff.post(
        "/account/center/",
        {
            "prefecture": "北海道",
            "name": "北海道ひきこもり成年相談センター",
            "health_office_name": "保健福祉事務所",
            "affiliations": "municipal\ncommunity_center: 地域包括支援センター職員\nother",
            "goal_fiscal_year": "2028",
            "goal_share": "50",
            "goal_wording": "道は令和10年度までに半数の市町村でケース会議を開きます。",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]

    assert str(User.Role.HEALTH_OFFICE.label) == "保健福祉事務所職員"
    assert affiliation_choices() == [
        ("municipal", "市町村職員"),
        ("community_center", "地域包括支援センター職員"),
        ("other", "その他"),
    ]
    event = EventFactory()
    page = Client().get(f"/training/events/{event.pk}/").content.decode()
    form = re.search(r'<select name="affiliation_type".*?</select>', page, flags=re.S).group(0)
    assert form.index("市町村職員") < form.index("地域包括支援センター職員") < form.index("その他")
    assert "民生委員" not in form
    page = staff.get("/supervision/case-meetings/").content.decode()
    assert "道は令和10年度までに半数の市町村でケース会議を開きます。" in page
    assert "市町村の50%（179市町村中90）" in page
    [entry] = audit.history(CenterProfile.objects.get())[:1]
    assert entry.changes["health_office_name"] == ["保健所", "保健福祉事務所"]


def test_an_unknown_affiliation_kind_is_refused_and_changes_nothing(center_staff):
    before = CenterProfile.objects.get().affiliations
    response = client_for(center_staff).post(
        "/account/center/",
        {"prefecture": "高知県", "name": "センター", "affiliations": "municipal\nfriends"},
    )

    assert response.status_code == 422
    assert "不明な区分です：friends" in response.content.decode()
    assert CenterProfile.objects.get().affiliations == before


def test_the_goal_share_is_bounded_by_the_database():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CenterProfile.objects.filter(pk=1).update(goal_share=0)


def test_setup_prefecture_names_the_next_steps_and_load_demo_stops_in_one_line(hokkaido):
    out = io.StringIO()
    call_command("setup_prefecture", "北海道", stdout=out)
    for step in ("create_center_user", "/account/center/", "/account/areas/", "/training/"):
        assert step in out.getvalue()
    assert "/directory/" not in out.getvalue()

    with pytest.raises(CommandError) as stopped:
        call_command("load_demo", stdout=io.StringIO())
    message = str(stopped.value)
    assert "\n" not in message
    assert "北海道" in message and "DEMO=0 bin/run" in message


def test_create_center_user_refuses_a_weak_password_or_a_taken_name(monkeypatch, center_staff):
    monkeypatch.setenv("SASAERU_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("create_center_user", "new", "--email", "n@example.jp", "--no-input")
    monkeypatch.setenv("SASAERU_PASSWORD", "a-long-enough-password")
    with pytest.raises(CommandError):
        call_command("create_center_user", "center", "--email", "c@example.jp", "--no-input")
    assert not User.objects.filter(username="new").exists()
