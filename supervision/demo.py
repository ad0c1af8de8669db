"""Demo part of supervision: the seed's FY2021 (令和3年度) plans and visits, its block liaison
meetings and lecturer dispatches, and some data in the current fiscal year (relative to the
day of loading) so that the dashboard is alive. Places and hosts are fictional and marked
（デモ）; summaries hold no personal data. Running it twice changes nothing.

With ``as_of=2021-09-30`` the progress is the seed's: いの町 2/5, 須崎市 1/5, 中土佐町 1/2,
四万十町 1/2, 幡多福祉保健所管内 0/2, 若者サポートステーション 2/5."""

import datetime as dt

from core.fiscal import (
    TOKYO,
    add_working_days,
    fiscal_year_end,
    fiscal_year_of,
    fiscal_year_start,
    today,
)
from core.usecases import SYSTEM
from directory.models import Block, District, Municipality, PartnerOrganization, User
from supervision import services
from supervision.models import CaseMeeting, LecturerDispatch, Plan, Target, Visit
from training.models import Event

DEMO = "（デモ）"
K = Visit.Kind

# target, planned, [(date, time, kind, done)] — done ones before 2021-10-01, the rest later
FY2021 = [
    (
        "いの町",
        5,
        [
            ("2021-05-18", "13:30", K.CASE_MEETING, True),
            ("2021-08-24", "13:30", K.STUDY_SESSION, True),
            ("2021-10-19", "13:30", K.CASE_MEETING, False),
            ("2021-12-14", "13:30", K.SUPERVISION, False),
            ("2022-02-15", "13:30", K.CASE_MEETING, False),
        ],
    ),
    (
        "須崎市",
        5,
        [
            ("2021-07-08", "10:00", K.CASE_MEETING, True),
            ("2021-10-28", "10:00", K.STUDY_SESSION, False),
            ("2021-11-25", "10:00", K.CASE_MEETING, False),
            ("2022-01-13", "10:00", K.SUPERVISION, False),
            ("2022-03-03", "10:00", K.CASE_MEETING, False),
        ],
    ),
    (
        "中土佐町",
        2,
        [
            ("2021-06-22", "14:00", K.CASE_MEETING, True),
            ("2022-01-25", "14:00", K.CASE_MEETING, False),
        ],
    ),
    (
        "四万十町",
        2,
        [
            ("2021-09-14", "13:30", K.STUDY_SESSION, True),
            ("2022-02-08", "13:30", K.CASE_MEETING, False),
        ],
    ),
    (
        "幡多福祉保健所管内",
        2,
        [
            ("2021-11-16", "13:30", K.SUPERVISION, False),
            ("2022-02-22", "13:30", K.STUDY_SESSION, False),
        ],
    ),
    (
        "若者サポートステーション",
        5,
        [
            ("2021-05-20", "14:00", K.BUSINESS_REVIEW, True),
            ("2021-07-15", "14:00", K.BUSINESS_REVIEW, True),
            ("2021-10-21", "14:00", K.BUSINESS_REVIEW, False),
            ("2021-12-16", "14:00", K.BUSINESS_REVIEW, False),
            ("2022-02-17", "14:00", K.BUSINESS_REVIEW, False),
        ],
    ),
]

SUMMARIES = {
    K.CASE_MEETING: "ケース会議に参加し、支援の方向性について助言した。",
    K.STUDY_SESSION: "担当者向け勉強会で、ひきこもり支援の基本を説明した。",
    K.BUSINESS_REVIEW: "定例の業務検討会で、連携の状況と今後の進め方を確認した。",
    K.SUPERVISION: "支援者へのスーパーバイズを行った。",
}

# block, date, co-hosting district, venue
LIAISON_MEETINGS_FY2021 = [
    ("西部", "2021-06-10", "須崎", "須崎市民文化会館 会議室"),
    ("中央", "2021-06-16", "中央西", "高知県立ふくし交流プラザ 研修室"),
    ("東部", "2021-06-25", "安芸", "安芸総合庁舎 大会議室"),
    ("西部", "2021-11-11", "幡多", "幡多総合庁舎 会議室"),
    ("中央", "2021-12-09", "中央東", "香美市役所 会議室"),
    ("東部", "2022-01-27", "安芸", "安芸総合庁舎 大会議室"),
]
INVITED = [
    PartnerOrganization.Kind.SOCIAL_WELFARE_COUNCIL,
    PartnerOrganization.Kind.MEDICAL,
    PartnerOrganization.Kind.PEER_SUPPORT,
    PartnerOrganization.Kind.FAMILY_ASSOCIATION,
]

DISPATCHES_FY2021 = [
    ("2021-07-29", "ひきこもりの理解と家族への支援", "土佐市社会福祉協議会", "土佐市"),
    ("2021-09-09", "地域で支えるひきこもり支援", "四万十市民生委員児童委員協議会", "四万十市"),
]

CASE_MEETINGS_FY2021 = [
    ("高知市", "2021-07-20"),
    ("香南市", "2021-08-30"),
    ("宿毛市", "2021-09-21"),
]


def demo_at(day: str | dt.date, time: str) -> dt.datetime:
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return dt.datetime.combine(day, dt.time.fromisoformat(time), TOKYO)


def demo_target(name: str) -> Target:
    if name.endswith("福祉保健所管内"):
        return services.target_for(
            district=District.objects.get(office_name=name.removesuffix("管内"))
        )
    municipality = Municipality.objects.filter(name=name).first()
    if municipality:
        return services.target_for(municipality=municipality)
    return services.target_for(organization=PartnerOrganization.objects.get(name=name))


def demo_staff() -> list[User]:
    return list(User.objects.filter(username__in=["center", "center2"]).order_by("username"))


def demo_visit(target, starts_at, kind, done, staff) -> bool:
    if Visit.objects.filter(target=target, starts_at=starts_at).exists():
        return False
    visit = services.schedule_visit(
        actor=SYSTEM,
        target_id=target.pk,
        kind=kind,
        starts_at=starts_at,
        place=f"{target.name} 会議室{DEMO}",
        staff_ids=[user.pk for user in staff],
    )
    if done:
        services.complete_visit(
            actor=SYSTEM,
            visit_id=visit.pk,
            public_summary=SUMMARIES.get(kind, "訪問した。"),
            confidential_notes="（デモ）センター内の記録。個人が特定される情報は書かない。",
        )
    return True


def demo_plan(target, fiscal_year, planned) -> None:
    if not Plan.objects.filter(target=target, fiscal_year=fiscal_year).exists():
        services.set_plan(
            actor=SYSTEM, target_id=target.pk, fiscal_year=fiscal_year, planned=planned
        )


def demo_liaison_meeting(block_name, day, district, venue, staff) -> bool:
    block = Block.objects.get(name=block_name)
    starts_at = demo_at(day, "13:30")
    if Event.objects.liaison_meetings().filter(block=block, starts_at=starts_at).exists():
        return False
    services.plan_liaison_meeting(
        actor=SYSTEM,
        block_id=block.pk,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2, minutes=30),
        venue=f"{venue}{DEMO}",
        co_host_district_id=District.objects.get(name=district).pk,
        invited_organization_kinds=INVITED,
        staff_ids=[user.pk for user in staff],
    )
    return True


def demo_dispatch(day, title, host, municipality, staff) -> bool:
    starts_at = demo_at(day, "13:30")
    if LecturerDispatch.objects.filter(title=title, starts_at=starts_at).exists():
        return False
    services.record_lecturer_dispatch(
        actor=SYSTEM,
        title=title,
        host=f"{host}{DEMO}",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=90),
        municipality_id=Municipality.objects.get(name=municipality).pk,
        place=f"{municipality} 公民館{DEMO}",
        staff_ids=[user.pk for user in staff[:1]],
    )
    return True


def _current_year(stdout, staff) -> int:
    """Plans and visits in the current fiscal year around the day of loading: some done,
    one waiting to be recorded, the rest scheduled; first-round liaison meetings held."""
    now = today()
    fiscal_year = fiscal_year_of(now)
    start, end = fiscal_year_start(fiscal_year), fiscal_year_end(fiscal_year)

    def clamp(day: dt.date) -> dt.date:
        return min(max(day, start), end)

    created = 0
    plans = [
        ("いの町", 5),
        ("須崎市", 4),
        ("四万十町", 2),
        ("四万十市", 3),
        ("幡多福祉保健所管内", 2),
        ("若者サポートステーション", 6),
    ]
    if Plan.objects.filter(target=demo_target(plans[0][0]), fiscal_year=fiscal_year).exists():
        return 0  # loaded on an earlier day: dates relative to today would differ

    offsets = {
        "いの町": [(-120, True), (-45, True), (-3, False), (14, False), (70, False)],
        "須崎市": [(-90, True), (21, False)],
        "四万十町": [(-60, True), (35, False)],
        "四万十市": [(-100, True), (-40, True), (18, False)],
        "幡多福祉保健所管内": [(-80, True), (42, False)],
        "若者サポートステーション": [(-150, True), (-90, True), (-30, True), (30, False)],
    }
    for name, planned in plans:
        target = demo_target(name)
        demo_plan(target, fiscal_year, planned)
        for days, done in offsets[name]:
            day = clamp(add_working_days(now + dt.timedelta(days=days), 0))
            if done and day >= now:
                continue
            kind = K.BUSINESS_REVIEW if target.organization_id else K.CASE_MEETING
            created += demo_visit(target, demo_at(day, "13:30"), kind, done, staff)
    for block_name, district in [("西部", "須崎"), ("中央", "中央西"), ("東部", "安芸")]:
        day = clamp(add_working_days(dt.date(fiscal_year, 6, 12), 0))
        created += demo_liaison_meeting(block_name, day, district, "会議室", staff)
    created += demo_liaison_meeting(
        "中央", clamp(now + dt.timedelta(days=40)), "中央東", "会議室", staff
    )
    created += demo_liaison_meeting(
        "西部", clamp(now + dt.timedelta(days=30)), "幡多", "会議室", staff
    )
    if stdout:
        stdout.write(f"  current fiscal year {fiscal_year}: {created} rows")
    return created


def load(stdout=None) -> str:
    staff = demo_staff()
    visits = 0
    for name, planned, rows in FY2021:
        target = demo_target(name)
        demo_plan(target, 2021, planned)
        for day, time, kind, done in rows:
            visits += demo_visit(target, demo_at(day, time), kind, done, staff[:1])
    if stdout:
        stdout.write(f"  FY2021 plans and {visits} visits")
    meetings = sum(
        demo_liaison_meeting(block, day, district, venue, staff)
        for block, day, district, venue in LIAISON_MEETINGS_FY2021
    )
    dispatches = sum(
        demo_dispatch(day, title, host, municipality, staff)
        for day, title, host, municipality in DISPATCHES_FY2021
    )
    case_meetings = 0
    for name, day in CASE_MEETINGS_FY2021:
        _, new = CaseMeeting.objects.get_or_create(
            municipality=Municipality.objects.get(name=name),
            held_on=dt.date.fromisoformat(day),
            defaults={"remarks": f"市町村主催のケース会議{DEMO}"},
        )
        case_meetings += new
    current = _current_year(stdout, staff)
    return (
        f"supervision: {visits} FY2021 visits, {meetings} liaison meetings, "
        f"{dispatches} lecturer dispatches, {case_meetings} case meetings, "
        f"{current} rows in the current fiscal year created"
    )
