"""A health office's whole district as one calendar link: what its municipalities' links show
together, plus the visits to the district itself; nothing from other districts, no private
field; issued by the district's own health-office staff and center staff only."""

import icalendar
import pytest

from directory.models import Municipality
from feeds import services
from feeds.models import Subscription
from tests.conftest import client_for
from tests.factories import UserFactory, district
from tests.feeds.conftest import CONFIDENTIAL, PRIVATE, at, fetch, in_days
from tests.supervision.conftest import target
from tests.supervision.factories import VisitFactory
from tests.training.factories import EventFactory
from training.models import Audience, Event

pytestmark = pytest.mark.django_db


def uids(body: bytes) -> set[str]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(event["UID"]) for event in calendar.walk("VEVENT")}


def link(target, issued_by) -> str:
    _row, raw = services.issue_subscription(target=target, label="共有", issued_by=issued_by)
    return f"/calendar/s/{raw}.ics"


@pytest.fixture
def hata_world(db):
    shimanto = Municipality.objects.get(name="四万十市")
    west = shimanto.block
    return {
        "shimanto": VisitFactory(
            target=target("四万十市"),
            starts_at=at(in_days(5).date().isoformat()),
            confidential_notes=CONFIDENTIAL,
        ),
        "sukumo": VisitFactory(
            target=target("宿毛市"), starts_at=at(in_days(8).date().isoformat())
        ),
        "office": VisitFactory(
            target=target("幡多福祉保健所管内"), starts_at=at(in_days(9).date().isoformat())
        ),
        "elsewhere": VisitFactory(
            target=target("いの町"), starts_at=at(in_days(6).date().isoformat())
        ),
        "meeting": EventFactory(
            title="西部ブロック連絡会",
            kind=Event.Kind.LIAISON_MEETING,
            block=west,
            audiences=[],
            starts_at=in_days(20, 13),
            ends_at=in_days(20, 16),
        ),
        "training": EventFactory(
            title="市町村職員向け研修", audiences=[Audience.MUNICIPAL], starts_at=in_days(30)
        ),
        "not_for_them": EventFactory(
            title="医療機関向け研修", audiences=[Audience.MEDICAL], starts_at=in_days(31)
        ),
    }


def test_district_feed_is_its_municipalities_feeds_together_and_the_district_visits(
    hata_world, center_staff
):
    hata = district("幡多")
    municipal_uids = set().union(
        *(
            uids(fetch(link(municipality, center_staff)))
            for municipality in Municipality.objects.filter(district=hata)
        )
    )

    body = fetch(link(hata, center_staff))

    assert uids(body) == municipal_uids | {hata_world["office"].ical_uid}
    assert {
        hata_world[name].ical_uid
        for name in ("shimanto", "sukumo", "office", "meeting", "training")
    } <= uids(body)
    assert hata_world["elsewhere"].ical_uid not in uids(body)
    assert hata_world["not_for_them"].ical_uid not in uids(body)
    assert not [text for text in PRIVATE if text in body.decode()]


def test_district_feed_passes_ical_check(hata_world, center_staff, ical_check):
    body = fetch(link(district("幡多"), center_staff))

    assert "0 checks failed" in ical_check(body, name="district")


def test_health_office_staff_issue_their_own_districts_link_only(
    health_office_staff, municipal_staff, center_staff
):
    hata, other = district("幡多"), district("中央西")
    post = {"kind": "district", "label": "幡多 共有"}
    others_staff = UserFactory(username="chuo", role="health_office", district=other)

    own = client_for(health_office_staff).post("/calendar/links/", {**post, "district": hata.pk})
    foreign = client_for(health_office_staff).post(
        "/calendar/links/", {**post, "district": other.pk}
    )
    by_municipality = client_for(municipal_staff).post(
        "/calendar/links/", {**post, "district": hata.pk}
    )
    by_center = client_for(center_staff).post("/calendar/links/", {**post, "district": other.pk})

    assert own.status_code == 201 and by_center.status_code == 201
    assert foreign.status_code == 200 and by_municipality.status_code == 200  # form errors
    assert list(Subscription.objects.values_list("kind", "district__name", "created_by")) == [
        ("district", "中央西", center_staff.pk),
        ("district", "幡多", health_office_staff.pk),
    ]
    # Each district's staff see their own district's link, not the other's.
    assert [row.district for row in Subscription.objects.visible_to(others_staff)] == [other]
    assert [row.district for row in Subscription.objects.visible_to(health_office_staff)] == [hata]
    assert not Subscription.objects.visible_to(municipal_staff).exists()
