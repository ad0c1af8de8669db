"""With the demo data, the FY2021 report as of 2021-09-30 says exactly what the seed says, in
its four sections, order and numbering, on the page, in the text, in the XLSX, in the API and
in the PDF."""

import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/reports/2021/?as_of=2021-10-01"
HEADINGS = [
    "１　直接支援（R3.4～9月末）",
    "２　地域支援（R3.4～9月末）",
    "３　人材養成（研修等）（R3.4～9月末）",
    "４　普及啓発（その他）（R3.4～9月末）",
]
SEED_LINES = [
    "（１）相談支援（所内相談）",
    "相談受理件数 483件（内訳 来所相談 394件・電話面接 89件）",
    "（２）居場所づくり支援（青年期の集い）：参加延べ人数36名",
    "（３）社会体験事業：体験人数　1名・1事業所（3日間）",
    "（１）ひきこもり支援者連絡会議",
    "【R3.6.10西部ブロック】38名参加、【R3.6.16中央ブロック】48名参加、"
    "【R3.6.25東部ブロック】34名参加　計　120名参加",
    "（２）関係機関支援　※（　）内は、（実施済／予定）回数",
    "いの町（２／５回）・須崎市（１／５回）・中土佐町（１／２回）・四万十町（１／２回）・"
    "幡多福祉保健所管内（０／２回）",
    "イ　若者サポートステーションとの定期的な検討会（２／５回）",
    "（１）ひきこもり支援者人材養成研修（主催）",
    "ア　講義『ひきこもりに関する理解と支援』　89名参加",
    "講師：高知県立精神保健福祉センター　所長　山﨑　正雄",
    "イ　講義『ひきこもりを理解するための精神障害』　97名参加",
    "講師：高知大学医学部特任助教　小松　静香　医師",
    "対談『ひきこもり支援における医療との連携』",
    "対談者：小松　静香医師・山﨑　正雄",
    "ウ　オンライン講義『ひきこもりケースのアセスメント』（参加者未記録）",
    "講師：近藤　直司教授（大正大学心理社会学部臨床心理学科）",
    "エ　事例研究を通した研修（開催予定）",
    "（１）ひきこもりに関する普及啓発",
    "つながるfesta（フェスタ）～ひきこもり講演＆交流会～　R3.10.1　64名参加",
    "（２）普及啓発・技術支援",
    "ひきこもりに関する講演会、研修会の講師　派遣回数：2回実施済",
]


def in_order(haystack: list[str], needles: list[str]) -> list[str]:
    """The needles found in order (each after the previous one)."""
    found, position = [], 0
    for needle in needles:
        for index in range(position, len(haystack)):
            if haystack[index] == needle:
                found.append(needle)
                position = index + 1
                break
    return found


def _page_lines(html: str) -> list[str]:
    article = html.split('<article class="report"', 1)[1].split("</article>", 1)[0]
    article = article.split('<section class="report-charts"', 1)[0]
    text = re.sub(r"<[^>]+>", "", re.sub(r"</(p|h2|h1)>", "\n", article))
    return [line.strip("　 ") for line in text.splitlines() if line.strip()]


def test_page_shows_the_seeds_four_sections_with_its_figures(center_staff, demo):
    response = client_for(center_staff).get(URL)

    lines = _page_lines(response.content.decode())

    assert in_order(lines, HEADINGS) == HEADINGS
    assert in_order(lines, SEED_LINES) == SEED_LINES
    sections = [lines.index(heading) for heading in HEADINGS]
    assert sections == sorted(sections)


def test_text_export_has_the_seeds_sections_in_order(center_staff, demo):
    response = client_for(center_staff).get("/reports/2021/report.txt?as_of=2021-10-01")

    lines = [line.strip("　 ") for line in response.content.decode().splitlines()]

    assert in_order(lines, HEADINGS) == HEADINGS
    assert in_order(lines, SEED_LINES) == SEED_LINES


def test_xlsx_has_one_sheet_per_section_with_the_seeds_figures(center_staff, demo):
    response = client_for(center_staff).get("/reports/2021/report.xlsx?as_of=2021-10-01")

    book = load_workbook(io.BytesIO(response.content))
    figures = {
        sheet.title: {
            (row[2], row[3])
            for row in sheet.iter_rows(min_row=4, values_only=True)
            if row[2] is not None
        }
        for sheet in book.worksheets
    }

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert book.sheetnames == [
        "１ 直接支援",
        "２ 地域支援",
        "３ 人材養成（研修等）",
        "４ 普及啓発（その他）",
    ]
    assert figures["１ 直接支援"] == {
        ("相談受理件数", 483),
        ("来所相談", 394),
        ("電話面接", 89),
        ("参加延べ人数", 36),
        ("体験人数", 1),
        ("体験事業所", 1),
        ("体験日数", 3),
    }
    assert {
        ("【R3.6.10西部ブロック】", 38),
        ("【R3.6.16中央ブロック】", 48),
        ("【R3.6.25東部ブロック】", 34),
        ("計", 120),
        ("いの町 実施済", 2),
        ("いの町 予定", 5),
        ("幡多福祉保健所管内 実施済", 0),
        ("若者サポートステーション 予定", 5),
    } <= figures["２ 地域支援"]
    assert figures["３ 人材養成（研修等）"] == {
        ("ひきこもりに関する理解と支援", 89),
        ("ひきこもりを理解するための精神障害", 97),
    }
    assert figures["４ 普及啓発（その他）"] == {
        ("つながるfesta（フェスタ）～ひきこもり講演＆交流会～", 64),
        ("講師派遣回数", 2),
        ("ケース会議実施市町村", 6),  # （参考）ケース会議, after the last section
    }


def test_api_answers_the_seeds_figures(center_staff, demo):
    response = client_for(center_staff).get("/api/reports/fiscal-year/2021?as_of=2021-10-01")

    body = response.json()

    assert response.status_code == 200
    [i] = [t for t in body["trainings"] if t["label"] == "イ"]
    assert [(p["heading"], p["title"]) for p in i["parts"]] == [
        ("講義", "ひきこもりを理解するための精神障害"),
        ("対談", "ひきこもり支援における医療との連携"),
    ]
    assert [s["name"] for s in i["parts"][1]["lecturers"]] == ["小松 静香", "山﨑 正雄"]
    assert [p["speakers"] for p in i["parts"]] == [
        ["講師：高知大学医学部特任助教　小松　静香　医師"],
        ["対談者：小松　静香医師・山﨑　正雄"],
    ]
    assert i["parts"][0]["lecturers"][0]["printed"] == "高知大学医学部特任助教　小松　静香　医師"
    [u] = [t for t in body["trainings"] if t["label"] == "ウ"]
    assert u["parts"][0]["speakers"] == ["講師：近藤　直司教授（大正大学心理社会学部臨床心理学科）"]
    assert body["direct_support"] == {
        "period": "first_half",
        "period_label": "R3.4～9月末",
        "consultations": {
            "total": 483,
            "breakdown": [
                {"channel": "来所相談", "count": 394},
                {"channel": "電話面接", "count": 89},
            ],
        },
        "ibasho_participants": 36,
        "social_experience": {"people": 1, "workplaces": 1, "days": 3},
    }
    assert body["liaison_meetings"] == [
        {"block": "西部", "date": "2021-06-10", "participants": 38},
        {"block": "中央", "date": "2021-06-16", "participants": 48},
        {"block": "東部", "date": "2021-06-25", "participants": 34},
    ]
    assert [(t["name"], t["done"], t["planned"]) for t in body["targets"]] == [
        ("いの町", 2, 5),
        ("須崎市", 1, 5),
        ("中土佐町", 1, 2),
        ("四万十町", 1, 2),
        ("幡多福祉保健所管内", 0, 2),
        ("若者サポートステーション", 2, 5),
    ]
    trainings = [(t["label"], t["participants"], t["state"]) for t in body["trainings"]]
    assert trainings == [
        ("ア", 89, "held"),
        ("イ", 97, "held"),
        ("ウ", 0, "unrecorded"),  # held 9/16 online; the seed gives no count
        ("エ", 0, "planned"),
    ]
    assert [s["name"] for s in body["trainings"][1]["lecturers"]] == [
        "小松 静香",
        "小松 静香",
        "山﨑 正雄",
    ]
    assert body["awareness_events"] == [
        {
            "title": "つながるfesta（フェスタ）～ひきこもり講演＆交流会～",
            "date": "2021-10-01",
            "state": "held",
            "participants": 64,
        }
    ]
    assert body["lecturer_dispatches"] == 2
    assert (body["municipalities_with_case_meetings"], body["municipalities_total"]) == (6, 34)
    assert body["invented"] is False


def test_pdf_is_a4_and_reads_back_the_seeds_figures(center_staff, demo):
    response = client_for(center_staff).get("/reports/2021/report.pdf?as_of=2021-10-01")

    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    compact = re.sub(r"\s", "", text)
    sizes = {
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages
    }

    assert response["Content-Type"] == "application/pdf"
    assert sizes == {(595, 842)}  # A4 in points
    for expected in [*HEADINGS, *SEED_LINES]:
        assert re.sub(r"\s", "", expected) in compact, expected
    charts = re.sub(r"\s", "", reader.pages[-1].extract_text())
    assert charts.startswith(
        "グラフ関係機関支援実施済／予定（令和3年度、令和3年10月1日現在）いの町2/5回"
    )
    assert "西部ブロック38名中央ブロック" in charts  # no 令和2年度: that year has no data
    assert "イひきこもりを理解するための精神障害97名" in charts  # the label whole


@pytest.mark.parametrize("persona", ["health_office", "municipal", "outsider"])
def test_report_files_and_api_are_404_for_others(personas, persona, demo):
    client = client_for(personas[persona])

    statuses = [
        client.get(f"/reports/2021/{name}?as_of=2021-10-01").status_code
        for name in [
            "",
            "report.txt",
            "report.xlsx",
            "report.pdf",
            "dispatches/",
            "direct-support/",
        ]
    ] + [client.get("/api/reports/fiscal-year/2021").status_code]

    assert statuses == [404] * 7


def test_api_refuses_a_date_outside_the_fiscal_year(center_staff):
    response = client_for(center_staff).get("/api/reports/fiscal-year/2021?as_of=2022-04-01")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "as_of"


def test_every_figure_on_the_page_links_to_its_list(center_staff, demo):
    response = client_for(center_staff).get(URL)

    html = response.content.decode()
    links = re.findall(r'<a href="([^"]+)" class="figure"[^>]*>([^<]+)</a>', html)
    figures_without_link = re.findall(r'<span class="figure">', html)

    assert figures_without_link == []
    assert ("/reports/2021/direct-support/?period=first_half", "483件") in links
    assert any(url.startswith("/attendance/events/") and text == "89名" for url, text in links)
    assert any(url.startswith("/supervision/targets/") and text == "２" for url, text in links)
    assert ("/supervision/liaison-meetings/?fy=2021&amp;as_of=2021-10-01", "120名") in links
    assert ("/reports/2021/dispatches/?as_of=2021-10-01", "2回") in links
