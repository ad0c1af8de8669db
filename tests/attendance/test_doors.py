"""Resolving an imported participant: one service decides who may, so the page and the API
answer alike (the page used to ask can_record_attendance, the API can_see_roster)."""

import pytest

from attendance import permissions, services
from attendance.models import ImportedAttendee
from tests.attendance.test_services import ZOOM, online_lecture
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def unmatched(center_staff) -> ImportedAttendee:
    event = online_lecture()
    online_import = services.import_online_attendance(
        event=event, user=center_staff, data=ZOOM, filename="z.csv"
    )
    return online_import.attendees.unresolved().get(name="高知 講師")


def answers(user, attendee) -> tuple[int, int]:
    client = client_for(user)
    api = client.post(
        f"/api/attendance/imported/{attendee.pk}/resolve",
        {"action": "dismiss"},
        content_type="application/json",
    )
    page = client.post(f"/attendance/imported/{attendee.pk}/resolve/", {"action": "dismiss"})
    return api.status_code, page.status_code


def test_both_doors_resolve_for_center_staff(center_staff):
    first, second = unmatched(center_staff), None
    api = client_for(center_staff).post(
        f"/api/attendance/imported/{first.pk}/resolve",
        {"action": "dismiss"},
        content_type="application/json",
    )
    second = ImportedAttendee.objects.exclude(pk=first.pk).unresolved().first()
    page = client_for(center_staff).post(
        f"/attendance/imported/{second.pk}/resolve/", {"action": "dismiss"}
    )

    assert (api.status_code, page.status_code) == (200, 302)
    assert set(
        ImportedAttendee.objects.filter(pk__in=[first.pk, second.pk]).values_list(
            "resolution", flat=True
        )
    ) == {"dismissed"}


@pytest.mark.parametrize("role", ["health_office", "municipal"])
def test_both_doors_refuse_other_roles_alike(personas, role):
    attendee = unmatched(personas["center"])

    assert answers(personas[role], attendee) == (403, 403)
    attendee.refresh_from_db()
    assert attendee.resolution == "unmatched"


def test_the_permission_is_asked_once_in_the_service(center_staff, monkeypatch):
    """Whoever may not record the event's attendance is refused on both doors, even though
    they may see the roster."""
    attendee = unmatched(center_staff)
    monkeypatch.setattr(permissions, "can_record_attendance", lambda user, event: False)
    monkeypatch.setattr(
        "attendance.services.online.can_record_attendance", lambda user, event: False
    )

    assert permissions.can_see_roster(center_staff, attendee.online_import.event)
    assert answers(center_staff, attendee) == (403, 403)
    attendee.refresh_from_db()
    assert attendee.resolution == "unmatched"


def test_an_unknown_participant_is_not_found_on_both_doors(center_staff):
    attendee = unmatched(center_staff)

    assert answers(center_staff, ImportedAttendee(pk=attendee.pk + 1000)) == (404, 404)
