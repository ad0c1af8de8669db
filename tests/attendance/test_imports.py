import datetime as dt

import pytest
from django.utils import translation

from attendance.imports import Problem, ReportRejected, parse_participant_report
from core.fiscal import TOKYO


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def at(hour, minute, second=0):
    return dt.datetime(2021, 11, 12, hour, minute, second, tzinfo=TOKYO)


ZOOM_JA = (
    "名前（元の名前）,ユーザーメール,参加時刻,退出時刻,期間（分）,ゲスト\r\n"
    "山田 太郎,taro@example.jp,2021/11/12 13:58:12,2021/11/12 15:00:40,63,いいえ\r\n"
    "やまだ花子 (山田花子),,2021/11/12 14:00:00,2021/11/12 14:30:00,30,はい\r\n"
)


def test_zoom_japanese_report_in_utf8_with_bom_is_read():
    report = parse_participant_report(b"\xef\xbb\xbf" + ZOOM_JA.encode())

    assert (report.format.key, report.encoding, report.rows) == ("zoom_ja", "UTF-8 (BOM)", 2)
    assert [
        (p.name, p.original_name, p.email, p.minutes, p.lines) for p in report.participants
    ] == [
        ("山田 太郎", "", "taro@example.jp", 63, (2,)),
        ("やまだ花子", "山田花子", "", 30, (3,)),
    ]
    assert report.participants[0].joined_at == at(13, 58, 12)
    assert report.participants[1].names == ("やまだ花子", "山田花子")


def test_zoom_japanese_report_in_shift_jis_is_read():
    report = parse_participant_report(ZOOM_JA.encode("cp932"))

    assert (report.format.key, report.encoding) == ("zoom_ja", "Shift_JIS (CP932)")
    assert [p.name for p in report.participants] == ["山田 太郎", "やまだ花子"]


def test_zoom_english_report_with_meeting_summary_is_read():
    data = (
        b"Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n"
        b"812 3456 7890,Assessment,11/12/2021 01:55:00 PM,11/12/2021 03:01:00 PM,c@x.jp,66,2\n"
        b"\n"
        b"Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,"
        b"Recording Consent\n"
        b"Taro Yamada,TARO@example.jp,11/12/2021 01:58:12 PM,11/12/2021 03:00:40 PM,63,No,Y\n"
    )

    report = parse_participant_report(data)

    assert (report.format.key, report.encoding) == ("zoom_en", "UTF-8")
    assert [(p.email, p.minutes, p.lines, p.left_at) for p in report.participants] == [
        ("taro@example.jp", 63, (5,), at(15, 0, 40))
    ]


def test_webex_english_report_with_durations_in_mins_is_read():
    data = (
        b"Display name,Attendee Email,Join Time,Leave Time,Attendance Duration,Role\n"
        b"Hanako Yamada,hanako@example.jp,2021-11-12 14:00,2021-11-12 14:45,45 mins,Attendee\n"
    )

    report = parse_participant_report(data)

    assert report.format.key == "webex_en"
    assert str(report.format.label) == "Webex attendee report (English)"
    assert [(p.name, p.minutes) for p in report.participants] == [("Hanako Yamada", 45)]


def test_webex_japanese_report_in_utf16_tab_separated_is_read():
    data = (
        "名前\tメールアドレス\t参加時刻\t退出時刻\t出席時間\n"
        "高知 一郎\tichiro@example.jp\t2021/11/12 14:00\t2021/11/12 15:00\t1:00:00\n"
    ).encode("utf-16")

    report = parse_participant_report(data)

    assert (report.format.key, report.encoding) == ("webex_ja", "UTF-16")
    assert [(p.name, p.minutes) for p in report.participants] == [("高知 一郎", 60)]


def test_webex_report_without_duration_takes_the_span_of_the_times():
    data = b"Name,Email,Join Time,Leave Time\nA B,a@example.jp,2021-11-12 14:00,2021-11-12 14:50\n"

    report = parse_participant_report(data)

    assert [(p.name, p.minutes) for p in report.participants] == [("A B", 50)]


def test_rejoins_of_one_person_are_merged_and_their_minutes_summed():
    data = (
        "名前（元の名前）,ユーザーメール,参加時刻,退出時刻,期間（分）\n"
        "山田 太郎,taro@example.jp,2021/11/12 14:00:00,2021/11/12 14:20:00,20\n"
        "佐藤 次郎,,2021/11/12 14:00:00,2021/11/12 14:10:00,10\n"
        "山田 太郎,Taro@Example.jp,2021/11/12 14:25:00,2021/11/12 15:00:00,35\n"
        "佐藤　次郎,,2021/11/12 14:15:00,2021/11/12 14:30:00,15\n"
        "山田 太郎,,2021/11/12 15:05:00,2021/11/12 15:10:00,5\n"
    ).encode()

    report = parse_participant_report(data)

    assert report.rows == 5
    assert [(p.name, p.email, p.minutes, p.lines) for p in report.participants] == [
        ("山田 太郎", "taro@example.jp", 60, (2, 4, 6)),
        ("佐藤 次郎", "", 25, (3, 5)),
    ]
    assert (report.participants[0].joined_at, report.participants[0].left_at) == (
        at(14, 0),
        at(15, 10),
    )


def rejected(data: bytes) -> list[Problem]:
    with pytest.raises(ReportRejected) as caught:
        parse_participant_report(data)
    return caught.value.problems


def test_unknown_columns_reject_the_file():
    problems = rejected(b"Name,Email,Favourite Colour\nA,a@example.jp,blue\n")

    assert problems == [
        Problem(
            1,
            "Unknown columns: 「Favourite Colour」. Expected a Zoom or Webex participant report.",
        )
    ]


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_returned():
    data = (
        "名前（元の名前）,ユーザーメール,参加時刻,退出時刻,期間（分）\n"
        "良い 行,ok@example.jp,2021/11/12 14:00:00,2021/11/12 15:00:00,60\n"
        "逆 時刻,r@example.jp,2021/11/12 15:00:00,2021/11/12 14:00:00,60\n"
        "悪い 分,m@example.jp,2021/11/12 14:00:00,2021/11/12 15:00:00,abc\n"
        "長すぎ,l@example.jp,2021/11/12 14:00:00,2021/11/12 14:10:00,90\n"
        "日付,d@example.jp,2021/13/45 14:00:00,2021/11/12 14:10:00,10\n"
        ",e@example.jp,2021/11/12 14:00:00,2021/11/12 14:10:00,10\n"
        "短い,x@example.jp\n"
    ).encode()

    problems = rejected(data)

    assert [(p.line, p.message) for p in problems] == [
        (3, "The leave time is before the join time (2021/11/12 15:00:00 → 2021/11/12 14:00:00)."),
        (4, "“abc” is not a duration in minutes."),
        (5, "The duration 90 min does not match the join and leave times (10 min)."),
        (6, "“2021/13/45 14:00:00” is not a valid join time."),
        (7, "The name is empty."),
        (8, "2 cells where the header has 5."),
    ]


def test_rejection_is_a_validation_error_on_the_file_field():
    with pytest.raises(ReportRejected) as caught:
        parse_participant_report(b"Name,Email\nA,not-an-email\n")

    assert caught.value.message_dict == {
        "file": ["Line 1: The columns do not match a Zoom or Webex participant report: a name and either "
                 "a duration or join and leave times are needed, each once."]
    }  # fmt: skip


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"Name,Email,Duration\n", "The file lists no participants."),
        (
            b"\x81\x00\xff\xfe",
            "participant report: the character encoding cannot be read with certainty. Save "
            "the file as UTF-8 (with or without BOM), Shift_JIS (CP932) or UTF-16 with BOM.",
        ),
        (b"Name,Duration\nA,-5\n", "Line 2: “-5” is not a duration in minutes."),
        (b"Name,Duration\nA,5\nB,5,6\n", "Line 3: 3 cells where the header has 2."),
        (b"Name,Email,Duration\nA,x@y,5\n", "Line 2: “x@y” is not an email address."),
    ],
)
def test_bad_files_are_rejected_with_a_clear_reason(data, message):
    with pytest.raises(ReportRejected) as caught:
        parse_participant_report(data)

    assert caught.value.messages == [message]


def test_japanese_messages_are_shown_to_japanese_users():
    with translation.override("ja"), pytest.raises(ReportRejected) as caught:
        parse_participant_report(b"Name,Duration\nA,abc\n")

    assert caught.value.messages == ["2行目: 「abc」は分単位の時間ではありません。"]
