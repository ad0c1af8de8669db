"""A center's own affiliation kinds (issue #20: "the affiliation kinds offered on forms (an
editable list, in order)"): staff add one on the profile page with a line "+ label"; every
form that asks for an affiliation offers it (public and staff registration, walk-in, an event's
audiences), rows store it and are counted under it; taken off the list it is no longer offered
but what was stored keeps its value, its label and its count."""

import re

import pytest
from django.test import Client

from attendance.models import RosterEntry
from attendance.queries import attendance_counts
from core import audit, vocabulary
from core.inputs import AFFILIATION_LABEL_LENGTH, MAX_AFFILIATION_KINDS
from directory.models import CenterProfile
from tests.attendance.factories import LectureFactory
from tests.conftest import client_for
from tests.training.factories import EventFactory
from training.models import Registration

pytestmark = pytest.mark.django_db

OWN = "地域包括支援センター職員"


def save_kinds(client, text: str):
    return client.post(
        "/account/center/",
        {"prefecture": "高知県", "name": "高知県ひきこもり地域支援センター", "affiliations": text},
    )


def offered(page: str, name: str = "affiliation_type") -> str:
    """The options of a select (or the checkboxes of a multiple choice) named ``name``."""
    select = re.search(rf'<select name="{name}".*?</select>', page, flags=re.S)
    if select:
        return select.group(0)
    return " ".join(re.findall(rf'<input type="checkbox" name="{name}".*?</label>', page, re.S))


def test_a_kind_of_the_centers_own_is_offered_stored_counted_and_kept_after_removal(
    center_staff,
):
    staff = client_for(center_staff)
    saved = save_kinds(staff, f"municipal\n+ {OWN}\nother")
    assert saved.status_code == 302, saved.content.decode()[-1500:]
    profile = CenterProfile.objects.get()
    assert profile.affiliations == [["municipal", ""], ["own_1", ""], ["other", ""]]
    assert profile.own_affiliations == [["own_1", OWN]]
    assert audit.history(profile)[0].changes["own_affiliations"][1] == [["own_1", OWN]]

    event = EventFactory(audiences=["own_1"])
    lecture = LectureFactory()  # held (2021): walk-ins may be entered
    public_form = offered(Client().get(f"/training/events/{event.pk}/").content.decode())
    assert public_form.index("市町村職員") < public_form.index(OWN) < public_form.index("その他")
    assert "民生委員" not in public_form
    for url, name in (
        (f"/training/staff/events/{event.pk}/registrations/new/", "affiliation_type"),
        (f"/attendance/events/{lecture.pk}/walk-in/", "affiliation_type"),
        ("/training/staff/events/new/", "audiences"),
    ):
        assert OWN in offered(staff.get(url).content.decode(), name), url
    assert OWN in Client().get(f"/training/events/{event.pk}/").content.decode()  # 対象者

    registered = Client().post(
        f"/training/events/{event.pk}/",
        {"name": "包括 花子", "kana": "ほうかつ はなこ", "email": "hanako@example.jp",
         "affiliation_type": "own_1", "language": "ja"},
    )  # fmt: skip
    assert registered.status_code == 302, registered.content.decode()[-1500:]
    walked = staff.post(
        f"/attendance/events/{lecture.pk}/walk-in/",
        {"name": "来場 一郎", "affiliation_type": "own_1", "organization": "包括"},
    )
    assert walked.status_code == 302, walked.content.decode()[-1500:]
    assert Registration.objects.get(name="包括 花子").affiliation_type == "own_1"
    assert RosterEntry.objects.get(name="来場 一郎").affiliation_type == "own_1"

    # Taken off the list: no longer offered, still stored, shown and counted under its label.
    assert save_kinds(staff, "municipal\nother").status_code == 302
    assert CenterProfile.objects.get().own_affiliations == [["own_1", OWN]]
    assert OWN not in offered(Client().get(f"/training/events/{event.pk}/").content.decode())
    assert OWN not in offered(
        staff.get(f"/attendance/events/{lecture.pk}/walk-in/").content.decode()
    )
    assert OWN in staff.get(f"/training/staff/events/{event.pk}/").content.decode()
    counts = attendance_counts(RosterEntry.objects.filter(event=lecture))
    assert [(b.key, b.label, b.count) for b in counts.by_affiliation] == [("own_1", OWN, 1)]
    assert OWN in staff.get(f"/attendance/events/{lecture.pk}/counts/").content.decode()
    assert vocabulary.is_affiliation_kind("own_1")  # an event that lists it can still be saved
    edit = offered(
        staff.get(f"/training/staff/events/{event.pk}/edit/").content.decode(), "audiences"
    )
    assert OWN in edit and "checked" in edit  # kept on the event it was chosen for
    assert OWN not in offered(
        staff.get("/training/staff/events/new/").content.decode(), "audiences"
    )

    # Relabelled, the key stays; the same words again bring the same kind back.
    assert save_kinds(staff, "own_1: 包括職員\nother").status_code == 302
    assert Registration.objects.get(name="包括 花子").get_affiliation_type_display() == "包括職員"
    assert save_kinds(staff, "+ 包括職員\nother").status_code == 302
    assert CenterProfile.objects.get().affiliations == [["own_1", ""], ["other", ""]]
    assert CenterProfile.objects.get().own_affiliations == [["own_1", "包括職員"]]


@pytest.mark.parametrize(
    "text, message",
    [
        ("+ " + "長" * (AFFILIATION_LABEL_LENGTH + 1), f"{AFFILIATION_LABEL_LENGTH}文字"),
        ("municipal\n+", "新しい区分には名前が必要です"),
        ("own_7: 未登録", "不明な区分です：own_7"),
        ("\n".join(f"+ 区分{n}" for n in range(MAX_AFFILIATION_KINDS + 1)), "までです"),
    ],
)
def test_a_bad_list_is_refused_with_a_japanese_message_and_changes_nothing(
    center_staff, text, message
):
    before = CenterProfile.objects.get()

    response = save_kinds(client_for(center_staff), text)

    assert response.status_code == 422
    assert message in response.content.decode()
    after = CenterProfile.objects.get()
    assert (after.affiliations, after.own_affiliations) == (
        before.affiliations,
        before.own_affiliations,
    )


def test_the_service_refuses_what_the_form_would_and_an_unknown_kind_is_not_stored(center_staff):
    from django.core.exceptions import ValidationError

    from directory.center import update_profile

    with pytest.raises(ValidationError) as refused:
        update_profile(by=center_staff, affiliations=[["+", "x" * 200]])
    assert "affiliations" in refused.value.message_dict
    event = EventFactory()
    response = Client().post(
        f"/training/events/{event.pk}/",
        {"name": "花子", "email": "h@example.jp", "affiliation_type": "own_9", "language": "ja"},
    )
    assert response.status_code == 422
    assert not Registration.objects.filter(name="花子").exists()
