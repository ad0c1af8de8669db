"""The report is exact at any date (issue #20): only what was held by the report date counts;
staff choose the report's date and period label (the seed: 2021-10-01, 「R3.4～9月末」) and
write notes per section, audited and printed in every output."""

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from pypdf import PdfReader

from core import audit
from reports import services
from reports.fiscal_year import build_report
from reports.models import ReportSettings
from reports.sections import render_text
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

POSTPONED = "※R3.8月下旬～9月上旬までコロナ感染拡大防止のため来所面談および青年期の集いを延期。"


def test_at_the_end_of_june_only_what_was_held_by_then_counts(demo):
    text = render_text(build_report(fiscal_year=2021, as_of=dt.date(2021, 6, 30)))

    assert "ア　講義『ひきこもりに関する理解と支援』（開催予定）" in text  # held 7/8
    assert "89名" not in text and "97名" not in text and "64名" not in text
    assert "【R3.6.25東部ブロック】34名参加" in text  # held 6/25: counted
    for number in "２３４":
        assert re.search(rf"{number}　.*（R3\.4～6月末）", text), number


def test_the_seeds_date_and_label_are_the_centers_settings(center_staff, demo):
    settings = ReportSettings.objects.get(fiscal_year=2021)
    assert (settings.as_of, settings.period_label) == (dt.date(2021, 10, 1), "R3.4～9月末")

    page = client_for(center_staff).get("/reports/2021/").content.decode()  # no date asked
    assert page.count("（R3.4～9月末）") == 8 and "10月末" not in page  # report and its text
    text = render_text(build_report(fiscal_year=2021, as_of=dt.date(2021, 10, 1)))
    assert "R3.10.1　64名参加" in text
    other_day = render_text(build_report(fiscal_year=2021, as_of=dt.date(2021, 10, 15)))
    assert "（R3.4～10.15）" in other_day and "9月末" not in other_day.split("２　")[1]


def test_the_notes_are_printed_in_every_output(center_staff, demo):
    staff = client_for(center_staff)
    query = "?as_of=2021-10-01"
    page = staff.get(f"/reports/2021/{query}").content.decode()
    text = staff.get(f"/reports/2021/report.txt{query}").content.decode()
    book = load_workbook(io.BytesIO(staff.get(f"/reports/2021/report.xlsx{query}").content))
    cells = "\n".join(
        str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c
    )
    reader = PdfReader(io.BytesIO(staff.get(f"/reports/2021/report.pdf{query}").content))
    pdf = re.sub(r"\s", "", "".join(p.extract_text() for p in reader.pages))
    api = staff.get(f"/api/reports/fiscal-year/2021{query}").json()

    for where, body in (("page", page), ("text", text), ("xlsx", cells)):
        assert POSTPONED in body, where
        assert "・課題･･･ひきこもり地域支援センターでの県内全域" in body, where
    assert re.sub(r"\s", "", POSTPONED) in pdf
    assert "（参考）市町村におけるケース会議の実施：6市町村／34市町村" in cells
    assert api["notes"]["direct_support"] == POSTPONED
    # In the section's place: the postponement note in section １, before section ２.
    assert text.index("３）社会体験事業") < text.index(POSTPONED) < text.index("２　地域支援")


def _lines(text: str) -> list[str]:
    return [line.strip("　 ") for line in text.splitlines() if line.strip("　 ")]


def test_notes_are_in_the_documents_places(center_staff, demo):
    """As the seed has them: what the liaison meetings did and who took part under their
    heading, the 関係機関支援 description under its heading, the festa's purpose and programme
    after the festa, and 課題・対策 after the whole report (after the case-meeting line)."""
    staff = client_for(center_staff)
    query = "?as_of=2021-10-01"
    text = _lines(staff.get(f"/reports/2021/report.txt{query}").content.decode())
    page = staff.get(f"/reports/2021/{query}").content.decode()
    book = load_workbook(io.BytesIO(staff.get(f"/reports/2021/report.xlsx{query}").content))
    reader = PdfReader(io.BytesIO(staff.get(f"/reports/2021/report.pdf{query}").content))
    pdf = re.sub(r"\s", "", "".join(p.extract_text() for p in reader.pages))

    def after(line: str) -> str:
        return text[text.index(line) + 1]

    assert after("（１）ひきこもり支援者連絡会議") == (
        "3ブロックに分かれ、関係機関の事業・活動報告や意見交換を実施。"
    )
    assert after("3ブロックに分かれ、関係機関の事業・活動報告や意見交換を実施。").startswith(
        "参加機関：市町村、社会福祉協議会"
    )
    assert after("（２）関係機関支援　※（　）内は、（実施済／予定）回数") == (
        "関係機関を個別に訪問し、ケースの進捗状況の確認し、支援の方向性に関する検討を行った。"
    )
    assert after(
        "つながるfesta（フェスタ）～ひきこもり講演＆交流会～　R3.10.1　64名参加"
    ).startswith("目的：ひきこもり当事者")
    assert text.index("第2部：ひきこもり経験者等による分科会") < text.index(
        "（２）普及啓発・技術支援"
    )
    closing = text[text.index("（参考）市町村におけるケース会議の実施：6市町村／34市町村") + 1 :]
    assert [line[:3] for line in closing] == ["・課題", "・対策"]
    # The other outputs keep the same order.
    assert (
        page.index("（参考）市町村におけるケース会議")
        < page.index("・課題･･･")
        < page.index("report-charts")
    )
    assert (
        page.index("（１）ひきこもり支援者連絡会議")
        < page.index("3ブロックに分かれ")
        < page.index("【R3.6.10西部ブロック】")
    )
    last = book.worksheets[-1]
    cells = [row[1] for row in last.iter_rows(values_only=True) if row[1]]
    assert cells[-3].startswith("（参考）市町村におけるケース会議")
    assert (cells[-2][:3], cells[-1][:3]) == ("・課題", "・対策")
    assert (
        pdf.index("ケース会議の実施：6市町村／34市町村")
        < pdf.index("・課題･･･")
        < pdf.index("グラフ")
    )


def test_settings_are_audited_and_a_date_outside_the_year_changes_nothing(center_staff):
    row = services.save_settings(
        fiscal_year=2026,
        as_of=dt.date(2026, 10, 1),
        period_label="R8.4～9月末",
        notes={"training": "課題：研修の周知"},
        by=center_staff,
    )
    [entry] = audit.history(row)
    assert entry.changes["period_label"] == [None, "R8.4～9月末"]

    with pytest.raises(ValidationError):
        services.save_settings(
            fiscal_year=2026,
            as_of=dt.date(2027, 4, 1),
            period_label="",
            notes={"nowhere": "x"},
            by=center_staff,
        )
    row.refresh_from_db()
    assert (row.as_of, row.notes) == (dt.date(2026, 10, 1), {"training": "課題：研修の周知"})


def test_staff_set_the_date_label_and_notes_on_the_settings_page(center_staff, municipal_staff):
    data = {
        "as_of": "2026-10-01",
        "period_label": "R8.4～9月末",
        "notes_regional_support": "参加機関：市町村、社会福祉協議会",
    }
    assert client_for(municipal_staff).post("/reports/2026/settings/", data).status_code in (
        403,
        404,
    )
    assert not ReportSettings.objects.filter(fiscal_year=2026).exists()

    response = client_for(center_staff).post("/reports/2026/settings/", data)

    assert response.status_code == 302
    text = client_for(center_staff).get("/reports/2026/report.txt").content.decode()
    assert "２　地域支援（R8.4～9月末）" in text
    assert "参加機関：市町村、社会福祉協議会" in text
    bad = client_for(center_staff).post("/reports/2026/settings/", {"as_of": "2027-04-01"})
    assert bad.status_code == 422
    assert ReportSettings.objects.get(fiscal_year=2026).as_of == dt.date(2026, 10, 1)


def test_a_liaison_meeting_held_without_a_roster_prints_as_unrecorded(db):
    from directory.models import Block
    from tests.training.factories import EventFactory
    from training.models import Event

    EventFactory(
        kind=Event.Kind.LIAISON_MEETING,
        block=Block.objects.get(name="西部"),
        starts_at=dt.datetime(2026, 6, 10, 13, 30, tzinfo=dt.timezone(dt.timedelta(hours=9))),
    )

    text = render_text(build_report(fiscal_year=2026, as_of=dt.date(2026, 9, 30)))

    assert "【R8.6.10西部ブロック】（参加者未記録）" in text
    assert "ブロック】0名" not in text
