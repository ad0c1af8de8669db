"""Demo part of attendance: roster rows for the seed's FY2021 events, so that the counts come out
as the seed reports them, from real rows:

- ア 89名 and イ 97名 (training events of the training demo, 2021-07-08 and 2021-08-26);
- block liaison meetings 西部 38名 (2021-06-10), 中央 48名 (2021-06-16), 東部 34名 (2021-06-25),
  120名 in all (events of the supervision demo);
- つながるfesta 64名 (the training demo's awareness event, 2021-10-01).

The events are found by date, kind and block; this loader creates none (it runs after the
training and supervision loaders). Everyone is fictional, ``is_demo`` is set, and each roster
also has a few people who did not come (absent or excused), who do not count. An event that
already has demo rows is left alone, so running the loader twice changes nothing.
"""

import datetime as dt
import random

from attendance.models import Roster, RosterEntry
from core.fiscal import TOKYO
from directory.models import Block, Municipality, User
from training.models import Audience, Event

FAMILY = [
    ("山本", "やまもと"), ("岡林", "おかばやし"), ("西森", "にしもり"), ("竹村", "たけむら"),
    ("浜田", "はまだ"), ("川村", "かわむら"), ("森岡", "もりおか"), ("中平", "なかひら"),
    ("小松", "こまつ"), ("濱口", "はまぐち"), ("大野", "おおの"), ("公文", "くもん"),
    ("岡田", "おかだ"), ("野村", "のむら"), ("坂本", "さかもと"), ("和田", "わだ"),
    ("北村", "きたむら"), ("安岡", "やすおか"), ("弘田", "ひろた"), ("楠瀬", "くすのせ"),
    ("池田", "いけだ"), ("別役", "べっちゃく"), ("宮地", "みやじ"), ("筒井", "つつい"),
]  # fmt: skip
GIVEN = [
    ("陽子", "ようこ"), ("健太", "けんた"), ("美咲", "みさき"), ("大輔", "だいすけ"),
    ("由美", "ゆみ"), ("誠", "まこと"), ("真理", "まり"), ("翔", "しょう"), ("恵", "めぐみ"),
    ("拓也", "たくや"), ("千尋", "ちひろ"), ("浩二", "こうじ"), ("彩", "あや"),
    ("直樹", "なおき"), ("香織", "かおり"), ("修", "おさむ"), ("優子", "ゆうこ"),
    ("亮", "りょう"), ("幸子", "さちこ"), ("伸也", "しんや"),
]  # fmt: skip

TRAINING_MIX = [
    (Audience.WELFARE_COMMISSIONER, "民生委員・児童委員", "民生委員"),
    (Audience.COMMUNITY_CENTER, "あったかふれあいセンター", "コーディネーター"),
    (Audience.MUNICIPAL, "{m} 福祉担当課", "保健師"),
    (Audience.MUNICIPAL, "{m} 福祉担当課", "社会福祉士"),
    (Audience.SOCIAL_WELFARE_COUNCIL, "{m}社会福祉協議会", "生活支援コーディネーター"),
    (Audience.MEDICAL, "{m}内の病院 地域連携室", "MSW"),
    (Audience.PRIVATE_SUPPORT, "民間支援団体", "相談員"),
]
LIAISON_MIX = [
    (Audience.MUNICIPAL, "{m} 福祉担当課", "保健師"),
    (Audience.MUNICIPAL, "{m} 福祉担当課", "担当者"),
    (Audience.SOCIAL_WELFARE_COUNCIL, "{m}社会福祉協議会", "相談支援員"),
    ("health_office", "福祉保健所", "保健師"),
    (Audience.MEDICAL, "{m}内の病院 地域連携室", "MSW"),
    (Audience.PRIVATE_SUPPORT, "家族会・ピアサポート", "相談員"),
]
FESTA_MIX = [
    (Audience.OTHER, "", ""),
    (Audience.OTHER, "", ""),
    (Audience.PRIVATE_SUPPORT, "家族会", ""),
    (Audience.WELFARE_COMMISSIONER, "民生委員・児童委員", "民生委員"),
    (Audience.MUNICIPAL, "{m} 福祉担当課", "担当者"),
]

# (what the rows are for, how to find the event, attended, absent, excused, mix)
SEED = [
    ("ア", {"kind__in": ["lecture", "dialogue"], "label": "ア"}, "2021-07-08", None, 89, 4, 3, TRAINING_MIX),
    ("イ", {"kind__in": ["lecture", "dialogue"], "label": "イ"}, "2021-08-26", None, 97, 3, 2, TRAINING_MIX),
    ("西部", {"kind": "liaison_meeting"}, "2021-06-10", "西部", 38, 2, 1, LIAISON_MIX),
    ("中央", {"kind": "liaison_meeting"}, "2021-06-16", "中央", 48, 1, 2, LIAISON_MIX),
    ("東部", {"kind": "liaison_meeting"}, "2021-06-25", "東部", 34, 2, 0, LIAISON_MIX),
    ("つながるfesta", {"kind": "awareness"}, "2021-10-01", None, 64, 0, 0, FESTA_MIX),
]  # fmt: skip


def find_event(filters: dict, day: str, block_name: str | None) -> Event | None:
    """The one event of that kind on that day (in the block), or None."""
    start = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(), TOKYO)
    events = Event.objects.filter(starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1))
    events = events.filter(**filters).exclude(status=Event.Status.CANCELLED)
    if block_name:
        events = events.filter(block__name=block_name)
    return events.order_by("id").first()


def _people(seed: int, count: int):
    rng = random.Random(seed)
    pairs = [(f, g) for f in FAMILY for g in GIVEN]
    rng.shuffle(pairs)
    return pairs[:count], rng


def add_roster_rows(
    event: Event, label: str, attended: int, absent: int, excused: int, mix, recorder
):
    total = attended + absent + excused
    people, rng = _people(sum(map(ord, label)), total)
    if event.block_id:
        municipalities = list(Municipality.objects.filter(block_id=event.block_id))
    else:
        municipalities = list(Municipality.objects.all())
    statuses = (
        [RosterEntry.Status.PRESENT] * attended
        + [RosterEntry.Status.ABSENT] * absent
        + [RosterEntry.Status.EXCUSED] * excused
    )
    rows = []
    for index, ((family, family_kana), (given, given_kana)) in enumerate(people):
        affiliation, organization, job = mix[index % len(mix)]
        municipality = municipalities[rng.randrange(len(municipalities))]
        status = statuses[index]
        if status == RosterEntry.Status.PRESENT and index % 17 == 5:
            status = RosterEntry.Status.LATE
        checked_in = None
        if status in RosterEntry.ATTENDED:
            offset = rng.randrange(-30, 0) if status == RosterEntry.Status.PRESENT else 10
            checked_in = event.starts_at + dt.timedelta(minutes=offset)
        entry = RosterEntry(
            event=event,
            source=RosterEntry.Source.INVITATION
            if event.kind == Event.Kind.LIAISON_MEETING
            else RosterEntry.Source.WALK_IN,
            name=f"{family} {given}",
            kana=f"{family_kana} {given_kana}",
            affiliation_type=affiliation,
            organization=organization.format(m=municipality.name),
            municipality=None if affiliation == "health_office" else municipality,
            job_title=job,
            status=status,
            checked_in_at=checked_in,
            recorded_by=recorder,
            recorded_at=event.ends_at if recorder else None,
            is_demo=True,
        )
        entry.fill_keys()
        rows.append(entry)
    return rows


def load(stdout=None) -> str:
    recorder = User.objects.filter(username="center").first()
    made, missing = [], []
    for label, filters, day, block_name, attended, absent, excused, mix in SEED:
        if block_name and not Block.objects.filter(name=block_name).exists():
            missing.append(label)
            continue
        event = find_event(filters, day, block_name)
        if event is None:
            missing.append(label)
            continue
        if RosterEntry.objects.filter(event=event, is_demo=True).exists():
            continue
        Roster.objects.get_or_create(event=event, defaults={"closed_at": event.ends_at})
        RosterEntry.objects.bulk_create(
            add_roster_rows(event, label, attended, absent, excused, mix, recorder)
        )
        made.append(f"{label} {attended}")
        if stdout:
            stdout.write(f"  {label}: {attended} attended")
    summary = f"attendance: demo rosters {', '.join(made) or 'already loaded'}"
    if missing:
        summary += f"; events not found (load training and supervision first): {', '.join(missing)}"
    return summary
