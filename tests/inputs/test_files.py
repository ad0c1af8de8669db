"""Issue #23, uploads and the districts page: size and cell limits before parsing, encodings
read with certainty or refused, one file per upload, error lists capped (first 50 and a count)
on pages and in ``manage.py import_districts`` (Japanese, an exit status, never a traceback),
imports only into published online events, and districts/blocks that say what they did."""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from attendance.models import ImportedAttendee, OnlineImport
from core import uploads
from directory import area_files
from directory.models import Block, District, Municipality
from tests.attendance.factories import LectureFactory
from tests.conftest import client_for
from training.models import Event

ROOT = Path(__file__).resolve().parents[2]
HEADER = "district,municipality_code\n"


def state():
    return (
        sorted(Municipality.objects.values_list("id", "district_id", "block_id")),
        sorted(District.objects.values_list("id", "name", "block_id")),
        sorted(Block.objects.values_list("id", "name")),
    )


def a_code() -> str:
    return Municipality.objects.exclude(code=None).order_by("code").first().code


# --- encodings -------------------------------------------------------------------------------

TEXT = "名前,期間（分）\n参加者0,60\n"


@pytest.mark.parametrize(
    ("encoding", "bom", "name"),
    [
        ("utf-8", b"", "UTF-8"),
        ("utf-8", b"\xef\xbb\xbf", "UTF-8 (BOM)"),
        ("cp932", b"", "Shift_JIS (CP932)"),
        ("utf-16-le", b"\xff\xfe", "UTF-16"),
        ("utf-16-be", b"\xfe\xff", "UTF-16"),
    ],
)
def test_accepted_encodings_are_read_exactly(encoding, bom, name):
    text, detected = uploads.decode(bom + TEXT.encode(encoding), label="f", max_bytes=10_000)

    assert (text, detected) == (TEXT, name)


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-16-le"),  # no BOM: read as Shift_JIS, it was stored garbled
        TEXT.encode("utf-16-be"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\xef\xbb\xbf\xff\xfe broken UTF-8 after a BOM",
        b"\x80\xa0\xfd abc",  # decodes as CP932 only into private-use and control characters
    ],
)
def test_other_encodings_are_refused_naming_the_accepted_ones(data):
    with pytest.raises(ValidationError) as caught:
        uploads.decode(data, label="f", max_bytes=10_000)

    assert caught.value.messages == [
        "f: 文字コードを確実に判別できません。UTF-8（BOM あり・なし）、Shift_JIS（CP932）"
        "または BOM 付きの UTF-16 で保存してください。"
    ]


def test_a_file_over_the_size_is_refused_before_decoding():
    with pytest.raises(ValidationError, match="f: ファイルが 1 KB を超えています。"):
        uploads.decode(b"\xff" * 1025, label="f", max_bytes=1024)


def test_the_error_list_keeps_50_and_counts_the_rest():
    problems = uploads.Problems()
    for number in range(1, 100_001):
        problems.add(f"line {number}")

    assert len(problems.shown) == 50
    assert problems.messages()[-1] == (
        "…ほか 99950 件のエラーがあります（最初の 50 件を表示しています）。"
    )


# --- attendance imports ------------------------------------------------------------------------


@pytest.fixture
def online(db):
    return LectureFactory(kind=Event.Kind.ONLINE_LECTURE, venue="オンライン（Zoom）")


def _report(encoding: str, bom: bytes = b"") -> bytes:
    text = (
        "名前（元の名前）,ユーザーメール,参加時刻,退出時刻,期間（分）\n"
        "参加者0,,2021/07/08 13:30:00,2021/07/08 16:00:00,150\n"
    )
    return bom + text.encode(encoding)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("encoding", "bom", "status"),
    [
        ("utf-16-le", b"", 422),
        ("utf-16-be", b"", 422),
        ("utf-16-le", b"\xff\xfe", 201),
        ("cp932", b"", 201),
        ("utf-8", b"\xef\xbb\xbf", 201),
    ],
)
def test_attendance_import_reads_what_it_can_be_sure_of(
    center_staff, online, encoding, bom, status
):
    response = client_for(center_staff).post(
        f"/api/attendance/events/{online.id}/imports",
        {"file": SimpleUploadedFile("p.csv", _report(encoding, bom))},
    )

    assert response.status_code == status
    if status == 201:
        assert list(ImportedAttendee.objects.values_list("name", flat=True)) == ["参加者0"]
    else:
        assert "UTF-16" in response.json()["detail"][0]["msg"]
        assert not OnlineImport.objects.exists()


@pytest.mark.django_db
def test_attendance_import_with_two_file_parts_is_refused(center_staff, online):
    response = client_for(center_staff).post(
        f"/api/attendance/events/{online.id}/imports",
        {
            "file": [
                SimpleUploadedFile("a.csv", _report("utf-8")),
                SimpleUploadedFile("b.csv", _report("utf-8")),
            ]
        },
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "file"
    assert "1つだけ" in response.json()["detail"][0]["msg"]
    assert not OnlineImport.objects.exists()


@pytest.mark.django_db
def test_attendance_import_page_with_two_files_is_refused(center_staff, online):
    response = client_for(center_staff).post(
        f"/attendance/events/{online.id}/import/",
        {
            "file": [
                SimpleUploadedFile("a.csv", _report("utf-8")),
                SimpleUploadedFile("b.csv", _report("utf-8")),
            ]
        },
    )

    assert "ファイルは1つだけ選んでください" in response.content.decode()
    assert not OnlineImport.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": Event.Status.DRAFT}, "下書き"),
        ({"kind": Event.Kind.LECTURE, "venue": "高知城ホール", "join_url": ""}, "会場での開催"),
    ],
)
def test_attendance_import_into_a_draft_or_in_person_event_is_refused(
    center_staff, online, changes, message
):
    Event.objects.filter(pk=online.pk).update(**changes)

    response = client_for(center_staff).post(
        f"/api/attendance/events/{online.id}/imports",
        {"file": SimpleUploadedFile("p.csv", _report("utf-8"))},
    )

    assert response.status_code == 409
    assert message in response.json()["detail"]
    assert not OnlineImport.objects.exists()


# --- the districts file on the page ------------------------------------------------------------


def _areas_post(client, **files):
    return client.post(
        "/account/areas/",
        {
            "action": "import",
            **{f"import-{name}": value for name, value in files.items()},
        },
    )


@pytest.mark.django_db
@pytest.mark.parametrize("size", [131_073, 300, 201])
def test_a_districts_file_with_a_huge_cell_names_the_line(center_staff, size):
    before = state()
    data = (
        HEADER + f"{a_code()[:0]}徳島保健所,{a_code()}\n" + "あ" * size + f",{a_code()}\n"
    ).encode()

    response = _areas_post(client_for(center_staff), districts=SimpleUploadedFile("d.csv", data))

    assert response.status_code == 422
    assert "管内ファイル 3行目: 200 文字を超えるセルがあるか、行を読み取れません。" in (
        response.content.decode()
    )
    assert state() == before


@pytest.mark.django_db
def test_a_districts_name_over_its_column_names_the_line(center_staff):
    before = state()
    data = (HEADER + "あ" * 150 + f",{a_code()}\n").encode()

    response = _areas_post(client_for(center_staff), districts=SimpleUploadedFile("d.csv", data))

    assert "管内ファイル 2行目: 「" + "あ" * 20 + "…」が 100 文字を超えています。" in (
        response.content.decode()
    )
    assert state() == before


@pytest.mark.django_db
def test_a_file_of_one_repeated_bad_row_lists_50_errors_and_a_count(center_staff):
    before = state()
    data = (HEADER + "徳島保健所,999999\n" * 20_000).encode()

    response = _areas_post(client_for(center_staff), districts=SimpleUploadedFile("d.csv", data))

    page = response.content.decode()
    assert response.status_code == 422
    assert page.count("団体コード 999999 の市町村がありません。") == 50
    assert "…ほか 19950 件のエラーがあります（最初の 50 件を表示しています）。" in page
    assert len(response.content) < 100_000
    assert state() == before


@pytest.mark.django_db
def test_the_areas_page_takes_one_file_per_field(center_staff):
    before = state()
    data = (HEADER + f"新保健所,{a_code()}\n").encode()

    response = _areas_post(
        client_for(center_staff),
        districts=[SimpleUploadedFile("a.csv", data), SimpleUploadedFile("b.csv", data)],
    )

    assert response.status_code == 422
    assert "ファイルは1つだけ選んでください" in response.content.decode()
    assert state() == before


# --- the command -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_caps_its_error_list(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "徳島保健所,999999\n" * 5_000, encoding="utf-8")

    with pytest.raises(CommandError) as caught:
        call_command("import_districts", str(bad), stdout=io.StringIO())

    lines = str(caught.value).splitlines()
    assert len(lines) == 51
    assert lines[-1] == "…ほか 4950 件のエラーがあります（最初の 50 件を表示しています）。"


@pytest.mark.django_db
def test_the_command_refuses_a_huge_cell_naming_the_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "あ" * 200_000 + ",1\n", encoding="utf-8")

    with pytest.raises(CommandError, match="管内ファイル 2行目: 200 文字を超えるセル"):
        call_command("import_districts", str(bad), stdout=io.StringIO())


@pytest.mark.django_db
def test_the_command_refuses_a_file_over_1_mb_before_reading_it(tmp_path):
    big = tmp_path / "big.csv"
    big.write_bytes(HEADER.encode() + b"x" * (1024 * 1024))

    with pytest.raises(CommandError, match="管内ファイル: ファイルが 1 MB を超えています。"):
        call_command("import_districts", str(big), stdout=io.StringIO())


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "管内ファイル、ブロックファイル（--blocks）またはその両方を指定してください。"),
        (
            ["/nonexistent/d.csv"],
            "管内ファイル: /nonexistent/d.csv を読めません（ファイルがありません）。",
        ),
        (["--blocks", "/"], "ブロックファイル: / を読めません（フォルダーです）。"),
    ],
)
def test_the_command_answers_in_japanese_with_an_exit_status(arguments, message):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    done = subprocess.run(
        [sys.executable, "manage.py", "import_districts", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 1
    assert message in done.stderr
    assert "Traceback" not in done.stderr


# --- districts and blocks ----------------------------------------------------------------------


@pytest.mark.django_db
def test_adding_an_existing_block_says_so_and_adds_nothing(center_staff):
    existing = Block.objects.first().name
    before = state()

    response = client_for(center_staff).post(
        "/account/areas/", {"action": "block", "block-name": existing}
    )

    assert response.status_code == 422
    assert "そのブロックはすでにあります。" in response.content.decode()
    assert "ブロックを追加しました。" not in response.content.decode()
    assert state() == before


@pytest.mark.django_db
def test_a_blocks_file_putting_a_district_into_two_blocks_is_refused():
    district = District.objects.first().office_name
    before = state()

    with pytest.raises(ValidationError) as caught:
        area_files.import_areas(blocks=f"block,district\n東部,{district}\n西部,{district}\n")

    assert caught.value.messages == [
        f"ブロックファイル 3行目: 「{district}」は2行目ですでにブロックに入っています"
        "（1つの管内は1つのブロックにだけ入れられます）。"
    ]
    assert state() == before


# --- the exports of the page -------------------------------------------------------------------

PLANTED = ["=1+1", "@SUM(1+1)保健所", '=HYPERLINK("http://example.com","x")', "+1", "-1"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PLANTED)
def test_districts_and_blocks_csv_cannot_hold_a_formula_and_import_back(center_staff, name):
    district = District.objects.filter(block__isnull=False).first()
    Block.objects.filter(pk=district.block_id).update(name=name[:50])
    District.objects.filter(pk=district.pk).update(office_name=name)
    client = client_for(center_staff)

    for which in ("districts", "blocks"):
        response = client.get(f"/account/areas/{which}.csv")
        text = response.content.decode("utf-8-sig")
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
        assert f"'{name}" in cells
    before = state()
    result = area_files.import_areas(
        districts=client.get("/account/areas/districts.csv").content,
        blocks=client.get("/account/areas/blocks.csv").content,
    )
    assert not result.changed_anything
    assert state() == before


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--bogus"], "不明な引数です: --bogus"),
        (["--blocks"], "--blocks の後に値を指定してください。"),
        (["a.csv", "b.csv"], "不明な引数です: b.csv"),
    ],
)
def test_the_command_usage_errors_are_japanese_with_exit_status_2(arguments, message):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    done = subprocess.run(
        [sys.executable, "manage.py", "import_districts", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 2
    assert done.stderr.startswith("使い方: manage.py import_districts")
    assert f"manage.py import_districts: エラー: {message}" in done.stderr
    assert "usage:" not in done.stderr and "error:" not in done.stderr
    assert "Traceback" not in done.stderr


def test_the_command_help_is_japanese():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    done = subprocess.run(
        [sys.executable, "manage.py", "import_districts", "--help"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0
    assert done.stdout.startswith("使い方: manage.py import_districts")
    assert "管内ファイル（管内名,市町村コード）" in done.stdout
    assert "この説明を表示して終了します" in done.stdout
    assert "show this help" not in done.stdout


def test_the_command_usage_error_through_call_command_is_a_japanese_command_error():
    with pytest.raises(CommandError, match="不明な引数です: --bogus"):
        call_command("import_districts", "--bogus", stdout=io.StringIO())
