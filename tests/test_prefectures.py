"""Every municipality of Japan from the shipped source; setting up a prefecture; its districts
and blocks from CSV files."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from directory import area_files, areas, sources
from directory.kochi import BLOCKS_FILE, DISTRICTS_FILE
from directory.models import Block, CenterProfile, District, Municipality, PartnerOrganization
from supervision import services as supervision
from supervision.models import Target

# 総務省「全国地方公共団体コード」/「市町村数」(2018-10-01 onward, unchanged since): cities,
# towns and villages per prefecture, Tokyo's 23 special wards included; designated cities'
# wards are not municipalities.
OFFICIAL_COUNTS = {
    "北海道": 179, "青森県": 40, "岩手県": 33, "宮城県": 35, "秋田県": 25, "山形県": 35,
    "福島県": 59, "茨城県": 44, "栃木県": 25, "群馬県": 35, "埼玉県": 63, "千葉県": 54,
    "東京都": 62, "神奈川県": 33, "新潟県": 30, "富山県": 15, "石川県": 19, "福井県": 17,
    "山梨県": 27, "長野県": 77, "岐阜県": 42, "静岡県": 35, "愛知県": 54, "三重県": 29,
    "滋賀県": 19, "京都府": 26, "大阪府": 43, "兵庫県": 41, "奈良県": 39, "和歌山県": 30,
    "鳥取県": 19, "島根県": 19, "岡山県": 27, "広島県": 23, "山口県": 19, "徳島県": 24,
    "香川県": 17, "愛媛県": 20, "高知県": 34, "福岡県": 60, "佐賀県": 20, "長崎県": 21,
    "熊本県": 45, "大分県": 18, "宮崎県": 26, "鹿児島県": 43, "沖縄県": 41,
}  # fmt: skip

TOKUSHIMA_DISTRICTS = """district,municipality_code
徳島保健所,362018
徳島保健所,362034
徳島保健所,36205
徳島保健所,363014
徳島保健所,363022
徳島保健所,363219
徳島保健所,363413
徳島保健所,363421
徳島保健所,364011
徳島保健所,364029
徳島保健所,364037
徳島保健所,364045
徳島保健所,364053
徳島保健所,362026
阿南保健所,362042
阿南保健所,363685
美波保健所,363839
美波保健所,363871
美波保健所,363880
美馬保健所,362069
美馬保健所,362077
美馬保健所,364681
三好保健所,362085
三好保健所,364894
"""

TOKUSHIMA_BLOCKS = """block,district
東部,徳島保健所
南部,阿南保健所
南部,美波保健所
西部,美馬保健所
西部,三好保健所
"""


def snapshot():
    return (
        sorted(
            Municipality.objects.values_list(
                "id", "code", "name", "kana", "kind", "district_id", "block_id", "is_current"
            )
        ),
        sorted(District.objects.values_list("id", "name", "office_name", "kind", "block_id")),
        sorted(Block.objects.values_list("id", "name", "order")),
        Target.objects.count(),
    )


def test_every_prefectures_count_matches_the_official_figure():
    counts = {p.name: len(sources.municipalities_of(p)) for p in sources.prefectures()}

    assert counts == OFFICIAL_COUNTS
    assert sum(counts.values()) == 1741
    assert len(sources.all_municipalities()) == 1741


def test_the_source_has_codes_kana_kinds_and_locations():
    everything = sources.all_municipalities()
    tokyo = sources.municipalities_of(sources.find_prefecture("東京都"))

    assert len({m.code for m in everything}) == 1741
    assert all(sources.normalize_code(m.code) == m.code for m in everything)
    assert all(m.kana and m.latitude and m.longitude for m in everything)
    assert sum(m.kind == "special_ward" for m in tokyo) == 23
    assert not any("区" in m.name and m.kind != "special_ward" for m in everything)
    assert {m.kind for m in everything} == {"city", "town", "village", "special_ward"}


@pytest.mark.parametrize(
    ("value", "code"),
    [("徳島県", "360007"), ("徳島", "360007"), ("36", "360007"), ("360007", "360007"),
     ("３６", "360007"), ("北海道", "010006"), ("1", "010006")],
)  # fmt: skip
def test_prefecture_by_name_or_code(value, code):
    assert sources.find_prefecture(value).code == code


def test_codes_are_checked():
    assert sources.normalize_code("39201") == "392014"
    assert sources.normalize_code("392014") == "392014"
    assert sources.normalize_code("392015") is None
    assert sources.normalize_code("3920") is None


@pytest.mark.django_db
def test_kochi_is_the_default_directory_with_codes_and_locations():
    kochi = Municipality.objects.get(code="392014")

    assert (kochi.name, kochi.kana, kochi.kind) == ("高知市", "こうちし", "city")
    assert 33.0 < kochi.latitude < 34.0 and 133.0 < kochi.longitude < 134.0
    assert CenterProfile.objects.get().prefecture == "高知県"


@pytest.mark.django_db
def test_setting_up_kochi_again_changes_nothing():
    before = snapshot()

    result = areas.setup_prefecture(prefecture="高知県")

    assert not result.changed
    assert snapshot() == before


@pytest.mark.django_db
def test_another_prefecture_replaces_the_unused_default():
    out = io.StringIO()
    call_command("setup_prefecture", "徳島県", stdout=out)

    assert Municipality.objects.count() == 24
    assert set(Municipality.objects.values_list("code", flat=True)) == {
        m.code for m in sources.municipalities_of(sources.find_prefecture("36"))
    }
    assert not District.objects.exists() and not Block.objects.exists()
    assert not PartnerOrganization.objects.exists()
    assert Target.objects.filter(kind="municipality").count() == 24
    profile = CenterProfile.objects.get()
    assert (profile.prefecture, profile.name) == ("徳島県", "徳島県ひきこもり地域支援センター")
    assert "24 municipalities" in out.getvalue()

    before = snapshot()
    out = io.StringIO()
    call_command("setup_prefecture", "36", stdout=out)
    assert snapshot() == before
    assert "nothing to change" in out.getvalue()


@pytest.mark.django_db
def test_a_directory_with_history_is_not_replaced(center_staff):
    target = Target.objects.get(municipality__name="いの町")
    supervision.set_plan(target_id=target.pk, fiscal_year=2021, planned=2, actor=center_staff)
    before = snapshot()

    with pytest.raises(CommandError, match="34件"):
        call_command("setup_prefecture", "徳島県", stdout=io.StringIO())

    assert snapshot() == before
    assert CenterProfile.objects.get().prefecture == "高知県"


@pytest.mark.django_db
def test_a_renamed_municipality_keeps_its_row_and_plans(center_staff):
    ino = Municipality.objects.get(name="いの町")
    plan = supervision.set_plan(
        target_id=Target.objects.get(municipality=ino).pk,
        fiscal_year=2021,
        planned=3,
        actor=center_staff,
    )
    Municipality.objects.filter(pk=ino.pk).update(name="伊野町", kana="いのちょう（旧）")

    result = areas.setup_prefecture(prefecture="高知県")

    ino.refresh_from_db()
    assert result.updated == ["いの町"]
    assert (ino.name, ino.kana) == ("いの町", "いのちょう")
    assert ino.supervision_target.plans.get() == plan


@pytest.mark.django_db
def test_a_municipality_merged_away_keeps_its_history_and_leaves_the_goal(center_staff):
    from supervision.queries import case_meeting_goal

    gone = Municipality.objects.create(
        code="399990", name="旧村", kana="きゅうそん", kind="village"
    )
    supervision.ensure_targets()
    plan = supervision.set_plan(
        target_id=gone.supervision_target.pk, fiscal_year=2021, planned=1, actor=center_staff
    )

    result = areas.setup_prefecture(prefecture="高知県")

    gone.refresh_from_db()
    assert result.retired == ["旧村"] and not gone.is_current
    assert gone.supervision_target.plans.get() == plan
    assert case_meeting_goal(fiscal_year=2021).total == 34


@pytest.fixture
def tokushima(db):
    call_command("setup_prefecture", "徳島県", stdout=io.StringIO())


def test_districts_and_blocks_from_csv(tokushima):
    result = area_files.import_areas(
        districts=TOKUSHIMA_DISTRICTS.encode("cp932"), blocks=TOKUSHIMA_BLOCKS.encode()
    )

    assert result.districts_created == [
        "徳島保健所", "阿南保健所", "美波保健所", "美馬保健所", "三好保健所"
    ]  # fmt: skip
    assert result.blocks_created == ["東部", "南部", "西部"]
    assert list(District.objects.values_list("name", "kind", "block__name")) == [
        ("徳島", "health_center", "東部"),
        ("阿南", "health_center", "南部"),
        ("美波", "health_center", "南部"),
        ("美馬", "health_center", "西部"),
        ("三好", "health_center", "西部"),
    ]
    naka = Municipality.objects.get(name="那賀町")
    assert (naka.district.office_name, naka.block.name) == ("阿南保健所", "南部")
    assert not Municipality.objects.filter(district__isnull=True).exists()
    assert Target.objects.filter(kind="district").count() == 5


def test_importing_the_same_files_again_changes_nothing(tokushima):
    call_command("import_districts", stdout=io.StringIO(), **_files())
    before = snapshot()

    out = io.StringIO()
    call_command("import_districts", stdout=out, **_files())

    assert snapshot() == before
    assert "ファイルの内容は現在と同じです（変更なし）。" in out.getvalue()


def _files(tmp=None):
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp())
    (folder / "d.csv").write_text(TOKUSHIMA_DISTRICTS, encoding="utf-8-sig")
    (folder / "b.csv").write_text(TOKUSHIMA_BLOCKS)
    return {"districts": str(folder / "d.csv"), "blocks": str(folder / "b.csv")}


def test_an_unknown_code_changes_nothing_and_names_the_line(tokushima):
    area_files.import_areas(districts=TOKUSHIMA_DISTRICTS)
    before = snapshot()
    moved = TOKUSHIMA_DISTRICTS.replace("阿南保健所,362042", "新しい保健所,362042")
    broken = moved.replace("美馬保健所,362077", "美馬保健所,392014")  # Kochi City

    with pytest.raises(ValidationError) as error:
        area_files.import_areas(districts=broken, blocks=TOKUSHIMA_BLOCKS)

    assert error.value.messages == ["管内ファイル 22行目: 団体コード 392014 の市町村がありません。"]
    assert snapshot() == before


def test_an_unknown_district_in_the_blocks_file_names_the_line(tokushima):
    area_files.import_areas(districts=TOKUSHIMA_DISTRICTS)
    before = snapshot()

    with pytest.raises(ValidationError) as error:
        area_files.import_areas(blocks=TOKUSHIMA_BLOCKS + "北部,鳴門保健所\n")

    assert error.value.messages == ["ブロックファイル 7行目: 管内「鳴門保健所」がありません。"]
    assert snapshot() == before


def test_a_wrong_header_or_a_bad_code_is_refused(tokushima):
    with pytest.raises(ValidationError, match="1行目"):
        area_files.import_areas(districts="name,code\nA,362018\n")
    with pytest.raises(ValidationError, match="3行目: 団体コード 36201x の"):
        area_files.import_areas(districts="district,municipality_code\nA,362018\nA,36201x\n")
    with pytest.raises(ValidationError, match="3行目: 徳島市 は2行目にも"):
        area_files.import_areas(districts="district,municipality_code\nA,362018\nB,36201\n")
    assert not District.objects.exists()


def test_the_command_names_the_line_and_changes_nothing(tokushima, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("district,municipality_code\n徳島保健所,362018\n徳島保健所,999999\n")

    with pytest.raises(CommandError, match="3行目"):
        call_command("import_districts", str(bad), stdout=io.StringIO())

    assert not District.objects.exists()


@pytest.mark.django_db
def test_kochis_example_files_reproduce_the_default():
    before = snapshot()

    result = area_files.import_areas(
        districts=DISTRICTS_FILE.read_bytes(), blocks=BLOCKS_FILE.read_bytes()
    )

    assert not result.changed_anything
    assert snapshot() == before
    assert (
        area_files.export_districts().splitlines()[1:]
        == DISTRICTS_FILE.read_text().splitlines()[1:]
    )


def test_the_default_is_never_forced_on_another_prefecture(tokushima):
    from directory.kochi import load_directory

    before = snapshot()

    with pytest.raises(RuntimeError, match="another prefecture"):
        load_directory()

    assert snapshot() == before


def test_nothing_names_kochi_outside_its_default_data_and_the_demo():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    allowed = {"directory/kochi.py", "directory/demo.py"}
    found = []
    for app in ("config", "core", "directory", "notifications", "training", "supervision",
                "attendance", "feeds", "reports", "templates", "static", "locale"):  # fmt: skip
        for path in (root / app).rglob("*"):
            relative = str(path.relative_to(root))
            if (
                not path.is_file()
                or path.suffix not in {".py", ".html", ".txt", ".po", ".css", ".js", ".csv"}
                or relative in allowed
                or "/migrations/" in relative
                or path.name == "demo.py"
                or path.name.startswith("kochi_")
            ):
                continue
            text = path.read_text(encoding="utf-8")
            found += [relative for word in ("高知", "Kochi") if word in text]

    assert found == []
