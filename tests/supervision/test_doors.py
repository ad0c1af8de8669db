"""The doors added with "one call per use case": reopening a visit over the API, a lecturer
dispatch changed and cancelled on its page and changed over the API. The service decides
who may, so both doors answer alike."""

import pytest

from core import audit
from core.usecases import SYSTEM
from supervision import services
from supervision.models import LecturerDispatch, Visit
from tests.conftest import client_for
from tests.supervision.conftest import at, target
from tests.supervision.factories import VisitFactory

pytestmark = pytest.mark.django_db


def post(user, url, body=None, method="post"):
    return getattr(client_for(user), method)(url, body or {}, content_type="application/json")


def dispatch(**changes) -> LecturerDispatch:
    return services.record_lecturer_dispatch(
        actor=SYSTEM,
        title="ひきこもり理解講座",
        host="土佐市社会福祉協議会",
        starts_at=at("2021-11-06", "13:30"),
        **changes,
    )


def test_api_reopens_a_done_visit_with_its_reason(center_staff):
    visit = VisitFactory(target=target("いの町"), starts_at=at("2021-06-10"), status="done")

    answer = post(
        center_staff, f"/api/supervision/visits/{visit.pk}/reopen", {"reason": "誤って記録"}
    )

    visit.refresh_from_db()
    [entry] = audit.history(visit).filter(action="supervision.visit.reopened")
    assert answer.status_code == 200, answer.content
    assert (answer.json()["status"], visit.status) == ("scheduled", "scheduled")
    assert (entry.actor, entry.data) == (center_staff, {"reason": "誤って記録"})


@pytest.mark.parametrize(
    ("role", "place", "status"),
    [
        ("health_office", "四万十市", 403),
        ("municipal", "いの町", 403),
        ("municipal", "須崎市", 404),
    ],
)
def test_reopen_is_refused_alike_on_both_doors(personas, role, place, status):
    visit = VisitFactory(target=target(place), starts_at=at("2021-06-10"), status="done")
    user = personas[role]

    api = post(user, f"/api/supervision/visits/{visit.pk}/reopen", {"reason": "誤って記録"})
    page = client_for(user).post(
        f"/supervision/visits/{visit.pk}/reopen/", {"reason": "誤って記録"}
    )

    visit.refresh_from_db()
    assert (api.status_code, page.status_code, visit.status) == (status, status, "done")
    assert "detail" in api.json()


def test_api_reopen_without_a_reason_is_a_422_naming_it(center_staff):
    visit = VisitFactory(target=target("いの町"), starts_at=at("2021-06-10"), status="done")

    answer = post(center_staff, f"/api/supervision/visits/{visit.pk}/reopen", {"reason": "  "})

    visit.refresh_from_db()
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"][-1] == "reason"
    assert visit.status == "done"


def test_api_changes_a_dispatch_and_raises_its_sequence(center_staff):
    row = dispatch()
    body = {
        "title": "ひきこもり理解講座（第2回）",
        "host": "土佐市社会福祉協議会",
        "starts_at": "2021-11-13T13:30:00+09:00",
        "place": "土佐市 公民館",
        "staff_ids": [center_staff.pk],
    }

    answer = post(center_staff, f"/api/supervision/dispatches/{row.pk}", body, method="put")

    row.refresh_from_db()
    assert answer.status_code == 200, answer.content
    assert (row.title, row.starts_at, row.place, row.sequence) == (
        "ひきこもり理解講座（第2回）",
        at("2021-11-13", "13:30"),
        "土佐市 公民館",
        1,
    )
    assert list(row.staff.all()) == [center_staff]
    assert audit.history(row).filter(action="supervision.lecturerdispatch.changed").exists()


def test_a_cancelled_dispatch_cannot_be_changed_over_the_api(center_staff):
    row = dispatch()
    services.cancel_lecturer_dispatch(actor=center_staff, dispatch_id=row.pk)
    body = {"title": "別", "host": "別", "starts_at": "2021-11-13T13:30:00+09:00"}

    answer = post(center_staff, f"/api/supervision/dispatches/{row.pk}", body, method="put")

    row.refresh_from_db()
    assert answer.status_code == 409
    assert row.title == "ひきこもり理解講座"


def test_dispatch_page_offers_edit_and_cancel_to_center_staff_only(center_staff, municipal_staff):
    row = dispatch()

    mine = client_for(center_staff).get(f"/supervision/dispatches/{row.pk}/").content.decode()
    theirs = client_for(municipal_staff).get(f"/supervision/dispatches/{row.pk}/").content.decode()

    assert f'action="/supervision/dispatches/{row.pk}/edit/"' in mine
    assert f'action="/supervision/dispatches/{row.pk}/cancel/"' in mine
    assert "講師派遣を中止する" in mine
    assert "/edit/" not in theirs and "/cancel/" not in theirs


def test_dispatch_page_changes_the_dispatch(center_staff):
    row = dispatch()

    response = client_for(center_staff).post(
        f"/supervision/dispatches/{row.pk}/edit/",
        {
            "title": "ひきこもり理解講座",
            "host": "土佐市社会福祉協議会",
            "date": "2021-11-06",
            "time": "14:00",
            "minutes": "60",
            "place": "",
            "staff": [center_staff.pk],
        },
    )

    row.refresh_from_db()
    assert response.status_code == 302
    assert (row.starts_at, row.ends_at, row.sequence) == (
        at("2021-11-06", "14:00"),
        at("2021-11-06", "15:00"),
        1,
    )


def test_dispatch_page_refuses_a_bad_change_with_the_form_open_and_changes_nothing(center_staff):
    row = dispatch()

    response = client_for(center_staff).post(
        f"/supervision/dispatches/{row.pk}/edit/",
        {"title": "", "host": "社協", "date": "2021-11-06", "time": "14:00", "minutes": "60"},
    )

    row.refresh_from_db()
    html = response.content.decode()
    assert response.status_code == 422
    assert '<li><a href="#edit-title">名称を入力してください</a></li>' in html
    assert '<details class="visit-action" open id="edit">' in html
    assert (row.title, row.sequence) == ("ひきこもり理解講座", 0)


def test_dispatch_page_cancels_after_the_box_is_ticked(center_staff):
    row = dispatch()
    client = client_for(center_staff)

    unticked = client.post(f"/supervision/dispatches/{row.pk}/cancel/", {})
    row.refresh_from_db()
    status_after_unticked = row.status
    ticked = client.post(f"/supervision/dispatches/{row.pk}/cancel/", {"confirm": "on"})
    again = client.post(f"/supervision/dispatches/{row.pk}/cancel/", {"confirm": "on"})

    row.refresh_from_db()
    assert (unticked.status_code, status_after_unticked) == (422, "scheduled")
    assert "中止するにはチェックを入れてください" in unticked.content.decode()
    assert (ticked.status_code, again.status_code) == (302, 422)
    assert (row.status, row.sequence) == ("cancelled", 1)


@pytest.mark.parametrize("role", ["health_office", "municipal"])
def test_others_cannot_change_or_cancel_a_dispatch_on_either_door(personas, role):
    row = dispatch()
    user = personas[role]
    form = {"title": "x", "host": "x", "date": "2021-11-06", "time": "14:00", "minutes": "60"}
    body = {"title": "x", "host": "x", "starts_at": "2021-11-13T13:30:00+09:00"}

    answers = [
        client_for(user).post(f"/supervision/dispatches/{row.pk}/edit/", form).status_code,
        client_for(user)
        .post(f"/supervision/dispatches/{row.pk}/cancel/", {"confirm": "on"})
        .status_code,
        post(user, f"/api/supervision/dispatches/{row.pk}", body, method="put").status_code,
        post(user, f"/api/supervision/dispatches/{row.pk}/cancel").status_code,
    ]

    row.refresh_from_db()
    assert answers == [403] * 4
    assert (row.title, row.status) == ("ひきこもり理解講座", "scheduled")


def test_services_find_the_row_among_what_the_actor_sees(municipal_staff):
    from core.usecases import NotFound

    other = VisitFactory(target=target("須崎市"), starts_at=at("2021-06-01"))

    with pytest.raises(NotFound):
        services.cancel_visit(actor=municipal_staff, visit_id=other.pk, reason="x")
    with pytest.raises(NotFound):
        services.cancel_visit(actor=municipal_staff, visit_id=10**9, reason="x")
    assert Visit.objects.get(pk=other.pk).status == "scheduled"
