"""Demo part of the report: section １'s figures of FY2021 as the seed writes them (相談受理件数
483件 = 来所相談 394件 + 電話面接 89件, 居場所づくり支援 延べ36名, 社会体験事業 1名・1事業所・3日間;
first half), and a second, smaller year, FY2022 (令和4年度), **invented** so that comparisons have
something to show: its trainings, awareness event, liaison meetings with rosters, plans and
visits, a lecturer dispatch and section １'s figures. FY2022 is recorded as invented
(``core.demo.mark_invented``), so every page that shows it says 「デモ用の架空データ」, and its
titles and places say so too. FY2021's figures stay exactly the seed's.

It runs last (after the training, supervision and attendance loaders) and reuses their demo
helpers; running it twice changes nothing (rows are found by year, title, date and block)."""

import datetime as dt

from attendance.demo import FESTA_MIX, LIAISON_MIX, TRAINING_MIX, add_roster_rows, find_event
from attendance.models import Roster, RosterEntry
from core.demo import NOTICE, mark_invented
from core.fiscal import TOKYO, fiscal_year_label
from directory.models import User
from reports import services
from reports.models import ConsultationChannel, DirectSupportFigures, ReportSettings
from supervision import demo as supervision_demo
from supervision.models import Visit
from training import demo as training_demo
from training.models import Course, Event, EventPart, EventPartLecturer

INVENTED = f"（{NOTICE}）"
FIRST_HALF, FULL_YEAR = (
    DirectSupportFigures.Period.FIRST_HALF,
    DirectSupportFigures.Period.FULL_YEAR,
)

# fiscal year, period, {channel: count}, 居場所, (people, workplaces, days)
FIGURES = [
    (2021, FIRST_HALF, {"来所相談": 394, "電話面接": 89}, 36, (1, 1, 3)),  # the seed
    (2022, FIRST_HALF, {"来所相談": 301, "電話面接": 72}, 27, (1, 1, 2)),  # invented
    (2022, FULL_YEAR, {"来所相談": 598, "電話面接": 141}, 52, (2, 2, 5)),  # invented
]

K = Visit.Kind
# FY2022 (invented, a past year: every visit done): target, planned, [(date, kind)]
PLANS_FY2022 = [
    ("いの町", 4, [("2022-05-17", K.CASE_MEETING), ("2022-11-15", K.CASE_MEETING)]),
    ("須崎市", 3, [("2022-07-07", K.CASE_MEETING), ("2022-12-08", K.STUDY_SESSION)]),
    ("中土佐町", 2, [("2022-06-21", K.CASE_MEETING)]),
    ("四万十町", 2, [("2022-10-18", K.STUDY_SESSION)]),
    (
        "若者サポートステーション",
        4,
        [("2022-05-19", K.BUSINESS_REVIEW), ("2022-10-20", K.BUSINESS_REVIEW)],
    ),
]
MEETINGS_FY2022 = [
    ("西部", "2022-06-09", "須崎", "須崎市民文化会館 会議室", 29),
    ("中央", "2022-06-15", "中央西", "高知県立ふくし交流プラザ 研修室", 37),
    ("東部", "2022-06-24", "安芸", "安芸総合庁舎 大会議室", 26),
]
# label, title, date, participants (ウ online, after the first half)
TRAININGS_FY2022 = [
    ("ア", "ひきこもりの理解と家族支援", dt.date(2022, 7, 7), 61),
    ("イ", "ひきこもり支援と精神保健", dt.date(2022, 8, 25), 70),
    ("ウ", "アセスメントの基本", dt.date(2022, 11, 10), 40),
]
FESTA_FY2022 = ("つながるfesta 2022", dt.date(2022, 10, 7), 45)
DISPATCH_FY2022 = ("2022-08-18", "家族のためのひきこもり講座", "香南市社会福祉協議会", "香南市")


def _figures(by) -> int:
    channels = {c.name: c.pk for c in ConsultationChannel.objects.all()}
    created = 0
    for fiscal_year, period, counts, ibasho, (people, workplaces, days) in FIGURES:
        if DirectSupportFigures.objects.filter(fiscal_year=fiscal_year, period=period).exists():
            continue
        missing = [name for name in counts if name not in channels]
        for name in missing:
            channels[name] = services.add_consultation_channel(name=name, by=by).pk
        services.record_direct_support(
            fiscal_year=fiscal_year,
            period=period,
            consultations={channels[name]: count for name, count in counts.items()},
            ibasho_participants=ibasho,
            social_experience_people=people,
            social_experience_workplaces=workplaces,
            social_experience_days=days,
            by=by,
        )
        created += 1
    return created


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), TOKYO)


def _roster(event: Event, label: str, attended: int, mix, recorder) -> int:
    if RosterEntry.objects.filter(event=event, is_demo=True).exists():
        return 0
    Roster.objects.get_or_create(event=event, defaults={"closed_at": event.ends_at})
    RosterEntry.objects.bulk_create(add_roster_rows(event, label, attended, 2, 1, mix, recorder))
    return 1


def _trainings_fy2022(recorder) -> int:
    course, _ = Course.objects.get_or_create(
        fiscal_year=2022,
        title=f"{fiscal_year_label(2022)} {training_demo.COURSE_TITLE}{INVENTED}",
        defaults={"description": f"ひきこもり支援者人材養成研修（主催）。{NOTICE}。"},
    )
    made = 0
    lecturer = EventPartLecturer.Role.LECTURER
    for label, title, day, attended in TRAININGS_FY2022:
        online = label == "ウ"
        event, _ = training_demo.demo_event(
            course=course,
            label=label,
            title=f"{title}{INVENTED}",
            kind=Event.Kind.ONLINE_LECTURE if online else Event.Kind.LECTURE,
            starts_at=_at(day, 13, 30),
            ends_at=_at(day, 16),
            venue="" if online else training_demo.VENUE,
            join_url="https://online-meeting.example/sasaeru-demo-fy2022" if online else "",
            capacity=100,
            registration_opens_at=_at(day - dt.timedelta(days=40), 9),
            audiences=training_demo.ALL_AUDIENCES,
            promotion_cutoff=dt.timedelta(days=2),
            parts=[(EventPart.Kind.LECTURE, title, [("山﨑 正雄", lecturer)])],
        )
        made += _roster(event, f"FY2022{label}", attended, TRAINING_MIX, recorder)
    title, day, attended = FESTA_FY2022
    festa, _ = training_demo.demo_event(
        course=None,
        title=f"{title}{INVENTED}",
        kind=Event.Kind.AWARENESS,
        starts_at=_at(day, 13),
        ends_at=_at(day, 16),
        venue=training_demo.VENUE,
        capacity=None,
        registration_opens_at=_at(day - dt.timedelta(days=30), 9),
        audiences=training_demo.ALL_AUDIENCES,
        description=NOTICE,
    )
    made += _roster(festa, "FY2022festa", attended, FESTA_MIX, recorder)
    return made


def _supervision_fy2022(recorder) -> int:
    staff = supervision_demo.demo_staff()
    made = 0
    for name, planned, visits in PLANS_FY2022:
        target = supervision_demo.demo_target(name)
        supervision_demo.demo_plan(target, 2022, planned)
        for day, kind in visits:
            made += supervision_demo.demo_visit(
                target, supervision_demo.demo_at(day, "13:30"), kind, True, staff[:1]
            )
    for block, day, district, venue, attended in MEETINGS_FY2022:
        supervision_demo.demo_liaison_meeting(block, day, district, f"{venue}{INVENTED}", staff)
        event = find_event({"kind": Event.Kind.LIAISON_MEETING}, day, block)
        if event is not None:
            made += _roster(event, f"FY2022{block}", attended, LIAISON_MIX, recorder)
    day, title, host, municipality = DISPATCH_FY2022
    made += supervision_demo.demo_dispatch(day, f"{title}{INVENTED}", host, municipality, staff)
    return made


# The seed's report settings (reports.models.ReportSettings): written in October about April to
# September, it counts the festa of 10/1, so its date is 2021-10-01 with the label R3.4～9月末;
# its free text goes into the notes of each section.
SEED_SETTINGS = {
    "fiscal_year": 2021,
    "as_of": dt.date(2021, 10, 1),
    "period_label": "R3.4～9月末",
    "notes": {
        "direct_support": "※R3.8月下旬～9月上旬までコロナ感染拡大防止のため来所面談"
        "および青年期の集いを延期。",
        "liaison": "3ブロックに分かれ、関係機関の事業・活動報告や意見交換を実施。\n"
        "参加機関：市町村、社会福祉協議会、福祉保健所、医療機関（MSW）、民間支援団体等",
        "partner_support": "関係機関を個別に訪問し、ケースの進捗状況の確認し、"
        "支援の方向性に関する検討を行った。",
        "awareness_events": "目的：ひきこもり当事者、経験者、その家族、支援者等を対象とした"
        "普及啓発、相談窓口の周知\n"
        "内容：第1部：体験発表・対談（ひきこもり経験者3名、精神保健福祉センター所長山﨑正雄）\n"
        "　　　第2部：ひきこもり経験者等による分科会",
        "issues": "・課題･･･ひきこもり地域支援センターでの県内全域への直接相談・支援には限界があるため、"
        "身近な地域で支援体制ができるよう、バックアップ体制が必要。\n"
        "・対策･･･ひきこもり地域支援センターによるスーパーバイズ、ひきこもり支援に関する研修会の"
        "実施を継続。また、福祉保健所が実施する管内市町村等との勉強会や情報共有の場"
        "（各ブロック年２回程度）へ協力、支援を行う。",
    },
}


# How an older demo keyed the same notes (regional_support and awareness for the liaison,
# 関係機関支援, festa and 課題・対策 texts): such notes are replaced by the seed's, in its places.
OLDER_NOTES = {
    "regional_support": "連絡会議：3ブロックに分かれ",
    "awareness": "つながるfesta 目的：",
}


def _seed_settings() -> int:
    """The seed's settings for FY2021 (no questionnaire line: the report reads as the seed's
    document), once, an older demo's notes put in their places; and for the invented FY2022
    the questionnaires' satisfaction under each training."""
    made = 0
    row = ReportSettings.objects.filter(fiscal_year=SEED_SETTINGS["fiscal_year"]).first()
    notes = row.notes if row is not None and isinstance(row.notes, dict) else {}
    older = any(str(notes.get(key, "")).startswith(start) for key, start in OLDER_NOTES.items())
    if row is None or older:
        services.save_settings(**SEED_SETTINGS, by=None)
        made += 1
    if not ReportSettings.objects.filter(fiscal_year=2022).exists():
        services.save_settings(
            fiscal_year=2022,
            as_of=None,
            period_label="",
            notes={},
            survey_satisfaction=True,
            by=None,
        )
        made += 1
    return made


def load(stdout=None) -> str:
    recorder = User.objects.filter(username="center").first()
    figures = _figures(None) + _seed_settings()
    mark_invented(2022, note=NOTICE)
    made = _trainings_fy2022(recorder) + _supervision_fy2022(recorder)
    return (
        f"reports: {figures} sets of direct-support figures; FY2022 (invented, {NOTICE}): "
        f"{made} rosters, visits and dispatches created"
    )
