"""Undoing 「実施済」: reopen_visit and the visit page's buttons that open their forms."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from core import audit
from core.errors import Conflict
from core.usecases import SYSTEM
from notifications.models import Dispatch
from supervision import queries, reminders, services
from supervision.models import Visit
from tests.conftest import client_for
from tests.factories import ContactFactory, municipality
from tests.supervision.conftest import at, target
from tests.supervision.factories import VisitFactory

pytestmark = pytest.mark.django_db


def done_visit(center_staff, day="2021-06-10") -> Visit:
    visit = VisitFactory(target=target("いの町"), starts_at=at(day))
    return services.complete_visit(
        visit_id=visit.pk, public_summary="研修の振り返り", actor=center_staff, now=at(day, "15:00")
    )


def test_reopen_visit_makes_a_done_visit_scheduled_again_and_keeps_the_reason(center_staff):
    visit = done_visit(center_staff)
    sequence = visit.sequence

    services.reopen_visit(visit_id=visit.pk, actor=center_staff, reason="別の日の記録でした")

    visit.refresh_from_db()
    [entry] = audit.history(visit).filter(action="supervision.visit.reopened")
    assert (visit.status, visit.completed_at, visit.sequence) == ("scheduled", None, sequence + 1)
    assert visit.public_summary == "研修の振り返り"
    assert entry.actor == center_staff
    assert entry.data == {"reason": "別の日の記録でした"}
    assert entry.changes["status"] == ["done", "scheduled"]
    assert entry.changes["sequence"] == [sequence, sequence + 1]


def test_reopen_visit_takes_the_visit_out_of_the_done_count(center_staff):
    services.set_plan(target_id=target("いの町").pk, fiscal_year=2021, planned=2, actor=SYSTEM)
    visit = done_visit(center_staff)

    before = queries.progress(fiscal_year=2021, as_of=at("2021-09-30").date())[0].done
    services.reopen_visit(visit_id=visit.pk, actor=center_staff, reason="誤って記録")
    after = queries.progress(fiscal_year=2021, as_of=at("2021-09-30").date())[0]

    assert (before, after.done, after.overdue) == (1, 0, 1)


def test_reopen_visit_of_a_postponed_visit_makes_it_postponed_again(center_staff):
    visit = VisitFactory(target=target("いの町"), starts_at=at("2021-06-10"))
    services.postpone_visit(visit_id=visit.pk, new_starts_at=at("2021-06-17"), actor=center_staff)
    services.complete_visit(visit_id=visit.pk, actor=center_staff, now=at("2021-06-17", "15:00"))

    services.reopen_visit(visit_id=visit.pk, actor=center_staff, reason="誤って記録")

    visit.refresh_from_db()
    assert visit.status == "postponed"


@pytest.mark.parametrize("status", ["scheduled", "postponed"])
def test_reopen_visit_refuses_a_visit_that_is_still_open(center_staff, status):
    visit = VisitFactory(target=target("いの町"), starts_at=at("2021-06-10"), status=status)

    with pytest.raises(Conflict):
        services.reopen_visit(visit_id=visit.pk, actor=center_staff, reason="誤って記録")

    visit.refresh_from_db()
    assert visit.status == status


def test_reopen_visit_needs_a_reason_and_then_changes_nothing(center_staff):
    visit = done_visit(center_staff)

    with pytest.raises(ValidationError) as error:
        services.reopen_visit(visit_id=visit.pk, actor=center_staff, reason="  ")

    visit.refresh_from_db()
    assert list(error.value.message_dict) == ["reason"]
    assert visit.status == "done"
    assert not audit.history(visit).filter(action="supervision.visit.reopened").exists()


def test_visit_page_reopens_a_done_visit_with_a_reason(center_staff):
    visit = done_visit(center_staff)
    client = client_for(center_staff)

    page = client.get(f"/supervision/visits/{visit.pk}/").content.decode()
    refused = client.post(f"/supervision/visits/{visit.pk}/reopen/", {"reason": ""})
    response = client.post(f"/supervision/visits/{visit.pk}/reopen/", {"reason": "別の日でした"})

    visit.refresh_from_db()
    assert f'action="/supervision/visits/{visit.pk}/reopen/"' in page
    assert refused.status_code == 422
    assert response.status_code == 302
    assert visit.status == "scheduled"


@pytest.mark.parametrize("role", ["health_office", "municipal"])
def test_only_center_staff_can_reopen_a_visit(personas, role):
    visit = done_visit(personas["center"], day="2021-06-10")
    visit.target = target("須崎市" if role == "health_office" else "いの町")
    visit.save()

    response = client_for(personas[role]).post(
        f"/supervision/visits/{visit.pk}/reopen/", {"reason": "誤って記録"}
    )

    visit.refresh_from_db()
    assert response.status_code in (403, 404)
    assert visit.status == "done"


def test_visit_page_opens_each_action_on_demand(center_staff):
    visit = VisitFactory(target=target("いの町"), starts_at=at("2021-06-10"))

    page = client_for(center_staff).get(f"/supervision/visits/{visit.pk}/").content.decode()

    assert page.count('<details class="visit-action"') == 4
    assert " open" not in page.split('<details class="visit-action"')[1].split(">")[0]


def test_reopen_visit_undoes_a_cancellation_and_tells_the_contacts_again(
    center_staff, django_capture_on_commit_callbacks
):
    ContactFactory(municipality=municipality("いの町"), name="伊野 一郎", email="ino@example.jp")
    with django_capture_on_commit_callbacks(execute=True):
        visit = services.schedule_visit(
            target_id=target("いの町").pk,
            kind="supervision",
            starts_at=at("2027-05-06"),
            actor=SYSTEM,
        )
        services.cancel_visit(visit_id=visit.pk, reason="先方の都合", actor=center_staff)

    with django_capture_on_commit_callbacks(execute=True):
        services.reopen_visit(visit_id=visit.pk, actor=center_staff, reason="先方の都合がついた")

    visit.refresh_from_db()
    [entry] = audit.history(visit).filter(action="supervision.visit.reopened")
    assert (visit.status, visit.cancel_reason, visit.cancelled_at) == ("scheduled", "", None)
    assert entry.changes["status"] == ["cancelled", "scheduled"]
    assert entry.changes["cancel_reason"] == ["先方の都合", ""]
    assert (
        [m.subject for m in mail.outbox]
        == [
            "訪問中止のお知らせ: 令和9年5月6日（木） いの町",  # the first notice was overtaken before it went out
            "訪問再開のお知らせ: 令和9年5月6日（木） いの町",  # on again, with its date
        ]
    )
    assert "中止を取り消し" in mail.outbox[1].body
    assert Dispatch.objects.filter(kind=reminders.VISIT_REMINDER, state="pending").count() == 1


def test_cancelled_visit_page_offers_to_undo_the_cancellation(center_staff):
    visit = VisitFactory(target=target("いの町"), starts_at=at("2021-06-10"), status="cancelled")

    page = client_for(center_staff).get(f"/supervision/visits/{visit.pk}/").content.decode()

    assert page.count('<details class="visit-action"') == 1
    assert "中止を取り消す" in page
