"""Section １'s hand-entered figures: center staff enter them (audited); other roles get 404,
negative numbers a clear message, and in both cases nothing changes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from core.audit import history
from reports import services
from reports.models import ConsultationChannel, ConsultationCount, DirectSupportFigures
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/reports/2021/direct-support/?period=first_half"


def _channels() -> dict[str, int]:
    return dict(ConsultationChannel.objects.values_list("name", "pk"))


def _form(**overrides) -> dict:
    channels = _channels()
    data = {
        "save": "1",
        "period": "first_half",
        f"channel_{channels['来所相談']}": "394",
        f"channel_{channels['電話面接']}": "89",
        "ibasho_participants": "36",
        "social_experience_people": "1",
        "social_experience_workplaces": "1",
        "social_experience_days": "3",
    }
    return data | overrides


def _state():
    return (
        list(
            DirectSupportFigures.objects.values_list("fiscal_year", "period", "ibasho_participants")
        ),
        list(ConsultationCount.objects.values_list("channel__name", "count")),
    )


def test_center_staff_enter_the_figures_and_the_change_is_audited(center_staff):
    response = client_for(center_staff).post(URL, _form())

    figures = DirectSupportFigures.objects.get(fiscal_year=2021, period="first_half")
    [entry] = history(figures)
    counts = dict(figures.consultations.values_list("channel__name", "count"))

    assert response.status_code == 302
    assert counts == {"来所相談": 394, "電話面接": 89}
    assert (figures.ibasho_participants, figures.social_experience_days) == (36, 3)
    assert entry.action == "reports.direct_support.created"
    assert entry.actor == center_staff
    assert entry.changes["consultations:来所相談"] == [None, 394]


def test_a_change_records_old_and_new_values(center_staff):
    client = client_for(center_staff)
    client.post(URL, _form())

    client.post(URL, _form(ibasho_participants="40"))

    figures = DirectSupportFigures.objects.get()
    latest = history(figures).first()
    assert latest.action == "reports.direct_support.changed"
    assert latest.changes == {"ibasho_participants": [36, 40]}


@pytest.mark.parametrize("persona", ["health_office", "municipal", "outsider"])
def test_other_roles_get_404_and_nothing_changes(personas, persona):
    before = _state()

    response = client_for(personas[persona]).post(URL, _form())

    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()
    assert _state() == before


def test_a_negative_number_is_refused_with_a_clear_message_and_nothing_changes(center_staff):
    before = _state()

    response = client_for(center_staff).post(URL, _form(ibasho_participants="-1"))

    assert response.status_code == 200
    assert response.context["form"].errors["ibasho_participants"] == [
        "0以上の数を入力してください。"
    ]
    assert "保存されていません" in response.content.decode()
    assert _state() == before


def test_the_service_refuses_negative_numbers_and_other_roles(center_staff, municipal_staff):
    channel = _channels()["来所相談"]
    arguments = dict(
        fiscal_year=2021,
        period="first_half",
        consultations={channel: 1},
        ibasho_participants=0,
        social_experience_people=0,
        social_experience_workplaces=0,
        social_experience_days=0,
    )

    with pytest.raises(ValidationError) as negative:
        services.record_direct_support(
            **arguments | {"consultations": {channel: -5}}, by=center_staff
        )
    with pytest.raises(PermissionDenied):
        services.record_direct_support(**arguments, by=municipal_staff)

    assert negative.value.message_dict == {f"channel_{channel}": ["0以上の数を入力してください。"]}
    assert DirectSupportFigures.objects.count() == 0


def test_the_database_refuses_negative_figures(center_staff):
    figures = DirectSupportFigures.objects.create(fiscal_year=2021, period="first_half")

    with pytest.raises(IntegrityError), transaction.atomic():
        DirectSupportFigures.objects.filter(pk=figures.pk).update(ibasho_participants=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsultationCount.objects.create(
            figures=figures, channel_id=_channels()["電話面接"], count=-1
        )


def test_center_staff_add_a_channel_and_it_appears_on_the_form(center_staff):
    client = client_for(center_staff)

    response = client.post(URL, {"add_channel": "1", "name": "メール相談"})
    duplicate = client.post(URL, {"add_channel": "1", "name": "来所相談"})
    page = client.get(URL)

    channel = ConsultationChannel.objects.get(name="メール相談")
    assert response.status_code == 302
    assert list(_channels()) == ["来所相談", "電話面接", "メール相談"]
    assert duplicate.context["channel_form"].errors["name"] == ["この相談経路はすでにあります。"]
    assert f'name="channel_{channel.pk}"' in page.content.decode()
    assert history(channel).first().action == "reports.consultation_channel.added"


def test_report_shows_the_latest_period_ended_by_the_report_date(center_staff):
    client = client_for(center_staff)
    client.post(URL, _form())
    client.post(
        "/reports/2021/direct-support/?period=full_year",
        _form(period="full_year", ibasho_participants="70"),
    )

    september = client.get("/api/reports/fiscal-year/2021?as_of=2021-09-30").json()
    march = client.get("/api/reports/fiscal-year/2021?as_of=2022-03-31").json()
    august = client.get("/api/reports/fiscal-year/2021?as_of=2021-08-31").json()

    assert september["direct_support"]["ibasho_participants"] == 36
    assert march["direct_support"]["ibasho_participants"] == 70
    assert march["direct_support"]["period_label"] == "R3.4～R4.3月末"
    assert august["direct_support"] is None
