"""Participant reports of online meetings (Zoom, Webex) read into one shape.

``parse_participant_report(data)`` takes the uploaded bytes and returns a
:class:`ParticipantReport`: the detected format and encoding and one :class:`Participant` per
person, rows of the same person (rejoins) merged with their minutes summed. It reads nothing
from the database; matching participants to a roster is ``attendance.services``' work.

Accepted: UTF-8 (with or without BOM), Shift_JIS/CP932 and UTF-16 with BOM; comma- or
tab-separated; Zoom's meeting summary block before the participant table is skipped. A file
with any error (unknown or missing columns, an impossible time, a bad duration, a row of the
wrong width) is rejected whole: :class:`ReportRejected` carries every problem with its line
number, and nothing of the file is used.
"""

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import uploads
from core.dates import aware
from core.inputs import check_datetime, without_control_characters

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
NAME_MAX = 200  # ImportedAttendee.name
EMAIL_MAX = 254
# Zoom rounds each row's minutes up, so a stated duration may exceed the span by one minute.
DURATION_TOLERANCE_MINUTES = 1

NAME, EMAIL, JOIN, LEAVE, MINUTES, IGNORED = "name", "email", "join", "leave", "minutes", "ignored"


@dataclass(frozen=True)
class ReportFormat:
    key: str
    label: str
    columns: dict[str, tuple[str, ...]]
    """Field -> the header spellings that mean it (compared after normalization)."""
    name_has_original: bool = False
    """Zoom writes a renamed participant as ``shown name (original name)``."""


def name_key(text: str) -> str:
    """A name or a header compared width-, case- and space-insensitively: 山田　太郎 == 山田太郎,
    期間（分） == 期間(分)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


FORMATS = (
    ReportFormat(
        key="zoom_ja",
        label=gettext_lazy("Zoom participant report (Japanese)"),
        columns={
            NAME: ("名前（元の名前）", "ユーザー名（元の名前）", "名前", "ユーザー名"),
            EMAIL: ("ユーザーメール", "メール", "メールアドレス"),
            JOIN: ("参加時刻", "参加時間"),
            LEAVE: ("退出時刻", "退出時間"),
            MINUTES: ("期間（分）", "時間（分）", "参加時間（分）"),
            IGNORED: ("ゲスト", "録画への同意", "録画に同意", "待機室内", "待機室で", "登録者"),
        },
        name_has_original=True,
    ),
    ReportFormat(
        key="zoom_en",
        label=gettext_lazy("Zoom participant report (English)"),
        columns={
            NAME: ("Name (Original Name)", "User Name (Original Name)", "Participant"),
            EMAIL: ("User Email", "Email"),
            JOIN: ("Join Time",),
            LEAVE: ("Leave Time",),
            MINUTES: ("Duration (Minutes)", "Duration (Mins)"),
            IGNORED: (
                "Guest",
                "Recording Consent",
                "Recording Disclaimer Response",
                "In Waiting Room",
            ),
        },
        name_has_original=True,
    ),
    ReportFormat(
        key="webex_en",
        label=gettext_lazy("Webex attendee report (English)"),
        columns={
            NAME: ("Name", "Display Name", "Attendee Name", "Participant Name"),
            EMAIL: ("Email", "Attendee Email", "Email Address"),
            JOIN: ("Join Time", "Joined"),
            LEAVE: ("Leave Time", "Left"),
            MINUTES: ("Attendance Duration", "Duration", "Duration (mins)", "Attended Duration"),
            IGNORED: (
                "Role",
                "Attendee Type",
                "Registered",
                "Invited",
                "Attended",
                "Connection Type",
            ),
        },
    ),
    ReportFormat(
        key="webex_ja",
        label=gettext_lazy("Webex attendee report (Japanese)"),
        columns={
            NAME: ("名前", "表示名", "参加者名", "出席者名"),
            EMAIL: ("メールアドレス", "メール", "出席者のメールアドレス"),
            JOIN: ("参加時刻", "参加時間", "参加日時"),
            LEAVE: ("退出時刻", "退出時間", "退出日時"),
            MINUTES: ("出席時間", "出席時間（分）", "参加時間（分）", "期間"),
            IGNORED: ("役割", "出席者の種類", "登録済み", "招待済み", "出席済み", "接続タイプ"),
        },
    ),
)


@dataclass(frozen=True)
class Participant:
    """One person of the report, all their rows (rejoins) merged."""

    name: str
    original_name: str
    email: str
    """Lower-cased; empty when the report has none (guests)."""
    joined_at: dt.datetime | None
    left_at: dt.datetime | None
    minutes: int
    lines: tuple[int, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The names to match on: shown name first, then the original one."""
        return tuple(n for n in (self.name, self.original_name) if n)


@dataclass(frozen=True)
class ParticipantReport:
    format: ReportFormat
    encoding: str
    participants: tuple[Participant, ...]
    rows: int
    """Data rows read (before merging rejoins)."""


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self):
        if self.line:
            return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}
        return self.message


class ReportRejected(ValidationError):
    """The file cannot be used; ``problems`` lists every reason with its line (0: the file)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__({"file": uploads.capped(str(problem) for problem in problems)})


def parse_participant_report(data: bytes) -> ParticipantReport:
    """Read a Zoom or Webex participant report; raises :class:`ReportRejected`."""
    if not data.strip():
        raise ReportRejected([Problem(0, _("The file is empty."))])
    if len(data) > MAX_BYTES:
        raise ReportRejected([Problem(0, _("The file is larger than 5 MB."))])
    text, encoding = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), dialect=_dialect(text))
    try:
        rows = [[_clean(cell) for cell in row] for row in reader]
    except csv.Error:
        raise ReportRejected(
            [Problem(reader.line_num + 1, _("A cell is too long or the line cannot be read."))]
        ) from None
    header_index = _header_index(rows)
    if header_index is None:
        raise ReportRejected([Problem(0, _("The file has no header row."))])
    header = rows[header_index]
    report_format, columns = _detect(header, line=header_index + 1)

    problems: list[Problem] = []
    read: list[tuple[int, str, str, str, dt.datetime | None, dt.datetime | None, int]] = []
    for index, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(read) >= MAX_ROWS:
            problems.append(Problem(index, _("More than %(max)d rows.") % {"max": MAX_ROWS}))
            break
        parsed = _read_row(row, index, len(header), columns, report_format, problems)
        if parsed is not None:
            read.append(parsed)
    if not read and not problems:
        problems.append(Problem(0, _("The file lists no participants.")))
    if problems:
        raise ReportRejected(problems)
    return ParticipantReport(
        format=report_format,
        encoding=encoding,
        participants=tuple(_merge(read)),
        rows=len(read),
    )


# --- reading ------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    """The report's text and encoding (core.uploads: UTF-8 with or without BOM, Shift_JIS,
    UTF-16 with BOM; anything else refused, never guessed)."""
    try:
        return uploads.decode(data, label=_("participant report"), max_bytes=MAX_BYTES)
    except ValidationError as error:
        raise ReportRejected([Problem(0, message) for message in error.messages]) from None


def _clean(cell: str) -> str:
    """A cell without the characters a name or an address may not hold (line breaks inside a
    quoted cell become spaces)."""
    return without_control_characters(re.sub(r"[\t\r\n]+", " ", cell))


def _dialect(text: str) -> type[csv.Dialect]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return csv.excel_tab if first.count("\t") > first.count(",") else csv.excel


def _header_index(rows: list[list[str]]) -> int | None:
    """The participant table's header: the first non-empty row, unless the file starts with
    Zoom's meeting summary (Meeting ID, Topic, ...), which ends at the first blank row."""
    non_empty = [i for i, row in enumerate(rows) if any(cell.strip() for cell in row)]
    if not non_empty:
        return None
    first = non_empty[0]
    if {name_key(cell) for cell in rows[first]} & {"meetingid", "ミーティングid"}:
        blank = next(
            (i for i in range(first + 1, len(rows)) if not any(c.strip() for c in rows[i])), None
        )
        following = [i for i in non_empty if blank is not None and i > blank]
        return following[0] if following else None
    return first


def _detect(header: list[str], *, line: int) -> tuple[ReportFormat, dict[str, int]]:
    """The first format whose columns explain the whole header. Their spellings differ
    (Zoom's "User Email" and 期間（分）, Webex's "Email" and 出席時間), so only a header with
    neither distinguishing column can fit two, and then the Zoom reading is as good."""
    normalized = [name_key(cell) for cell in header]
    for report_format in FORMATS:
        lookup = {
            name_key(spelling): field_name
            for field_name, spellings in report_format.columns.items()
            for spelling in spellings
        }
        fields = [lookup.get(cell) for cell in normalized]
        if None in fields:
            continue
        used = [(f, i) for i, f in enumerate(fields) if f != IGNORED]
        columns = dict(used)
        if len(columns) != len(used):
            continue  # the same field twice
        if NAME in columns and (MINUTES in columns or {JOIN, LEAVE} <= columns.keys()):
            return report_format, columns

    known = {
        name_key(s)
        for report_format in FORMATS
        for spellings in report_format.columns.values()
        for s in spellings
    }
    unknown = [cell for cell, norm in zip(header, normalized, strict=True) if norm not in known]
    if unknown:
        message = _("Unknown columns: %(columns)s. Expected a Zoom or Webex participant report.")
        message %= {"columns": "、".join(f"「{cell}」" for cell in unknown)}
    else:
        message = _(
            "The columns do not match a Zoom or Webex participant report: a name and either "
            "a duration or join and leave times are needed, each once."
        )
    raise ReportRejected([Problem(line, message)])


def _read_row(row, line, width, columns, report_format, problems):
    if len(row) != width:
        problems.append(
            Problem(
                line,
                _("%(found)d cells where the header has %(expected)d.")
                % {"found": len(row), "expected": width},
            )
        )
        return None
    errors_before = len(problems)

    def cell(field_name):
        index = columns.get(field_name)
        return row[index].strip() if index is not None else ""

    shown, original = _split_name(cell(NAME), report_format.name_has_original)
    if not shown:
        problems.append(Problem(line, _("The name is empty.")))
    if len(shown) > NAME_MAX or len(original) > NAME_MAX:
        problems.append(
            Problem(line, _("The name is longer than %(max)d characters.") % {"max": NAME_MAX})
        )
    email = cell(EMAIL).casefold()
    if len(email) > EMAIL_MAX:
        problems.append(Problem(line, _("The email address is too long.")))
        email = ""
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        problems.append(Problem(line, _("“%(value)s” is not an email address.") % {"value": email}))
    joined = _time(cell(JOIN), line, problems, _("join time")) if JOIN in columns else None
    left = _time(cell(LEAVE), line, problems, _("leave time")) if LEAVE in columns else None
    minutes = _minutes(cell(MINUTES), line, problems) if MINUTES in columns else None

    if joined and left:
        if left < joined:
            problems.append(
                Problem(line, _("The leave time is before the join time (%(join)s → %(leave)s).")
                    % {"join": cell(JOIN), "leave": cell(LEAVE)})
            )  # fmt: skip
        else:
            span = (left - joined).total_seconds() / 60
            if minutes is None and MINUTES not in columns:
                minutes = round(span)
            elif minutes is not None and abs(minutes - span) > DURATION_TOLERANCE_MINUTES:
                problems.append(
                    Problem(line, _("The duration %(minutes)d min does not match the join and "
                                    "leave times (%(span)d min).")
                        % {"minutes": minutes, "span": round(span)})
                )  # fmt: skip
    if len(problems) != errors_before:
        return None
    return (line, shown, original, email, joined, left, minutes)


def _split_name(value: str, has_original: bool) -> tuple[str, str]:
    value = unicodedata.normalize("NFKC", value).strip()
    if has_original:
        match = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", value)
        if match:
            return match.group(1).strip(), match.group(2).strip()
    return value, ""


TIME_FORMATS = (
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
)


def _time(value: str, line: int, problems: list[Problem], what: str) -> dt.datetime | None:
    """A time of the report as an aware datetime; without an offset it is Tokyo time."""
    if not value:
        problems.append(Problem(line, _("The %(what)s is empty.") % {"what": what}))
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    for pattern in TIME_FORMATS:
        try:
            parsed = dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
        return _in_range(aware(parsed), value, line, problems, what)
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        problems.append(
            Problem(
                line, _("“%(value)s” is not a valid %(what)s.") % {"value": value, "what": what}
            )
        )
        return None
    return _in_range(aware(parsed), value, line, problems, what)


def _in_range(parsed, value, line, problems, what) -> dt.datetime | None:
    try:
        return check_datetime(parsed)
    except ValidationError as error:
        problems.append(
            Problem(
                line,
                _("The %(what)s “%(value)s” cannot be used: %(problem)s")
                % {"what": what, "value": value[:40], "problem": error.messages[0]},
            )
        )
        return None


def _minutes(value: str, line: int, problems: list[Problem]) -> int | None:
    """Minutes as Zoom (``45``) and Webex (``45 mins``, ``0:45:00``) write them."""
    text = unicodedata.normalize("NFKC", value).strip().casefold()
    match = re.fullmatch(r"(\d{1,5})\s*(分|min|mins|minutes|minute)?", text)
    if match:
        return int(match.group(1))
    match = re.fullmatch(r"(\d{1,3}):([0-5]\d)(?::([0-5]\d))?", text)
    if match:
        hours, mins, secs = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
        return hours * 60 + mins + (1 if secs else 0)
    problems.append(
        Problem(line, _("“%(value)s” is not a duration in minutes.") % {"value": value})
    )
    return None


# --- merging ------------------------------------------------------------------------------


@dataclass
class _Person:
    name: str
    original_name: str
    email: str
    joined_at: dt.datetime | None = None
    left_at: dt.datetime | None = None
    minutes: int = 0
    lines: list[int] = field(default_factory=list)

    def add(self, line, joined, left, minutes):
        self.lines.append(line)
        self.minutes += minutes or 0
        if joined and (self.joined_at is None or joined < self.joined_at):
            self.joined_at = joined
        if left and (self.left_at is None or left > self.left_at):
            self.left_at = left


def _merge(read) -> list[Participant]:
    """Rows of one person become one participant: the same email, or without an email the same
    name; a guest row without email joins the one emailed person of that name, if any."""
    people: dict[str, _Person] = {}
    emailed_by_name: dict[str, list[_Person]] = {}
    for line, shown, original, email, joined, left, minutes in read:
        if email:
            person = people.get(email)
            if person is None:
                person = people[email] = _Person(shown, original, email)
                emailed_by_name.setdefault(name_key(shown), []).append(person)
            person.add(line, joined, left, minutes)
    for line, shown, original, email, joined, left, minutes in read:
        if email:
            continue
        same_name = emailed_by_name.get(name_key(shown), [])
        if len(same_name) == 1:
            same_name[0].add(line, joined, left, minutes)
            continue
        key = f"name:{name_key(shown)}"
        person = people.get(key) or people.setdefault(key, _Person(shown, original, ""))
        person.add(line, joined, left, minutes)
    ordered = sorted(people.values(), key=lambda p: min(p.lines))
    return [
        Participant(
            name=p.name,
            original_name=p.original_name,
            email=p.email,
            joined_at=p.joined_at,
            left_at=p.left_at,
            minutes=p.minutes,
            lines=tuple(sorted(p.lines)),
        )
        for p in ordered
    ]
