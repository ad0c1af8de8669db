"""Kochi Prefecture's default directory (docs/domain.md, "Geography"): the prefecture set up
from the official list, its districts and blocks from the example files
``directory/data/kochi_districts.csv`` and ``kochi_blocks.csv``, the partner organizations and
the center's profile. Staff change it afterwards (pages, admin); this module only seeds an
empty database (migrations, ``load_demo``) and is never read at run time. Another prefecture
starts with ``manage.py setup_prefecture`` instead (README)."""

from pathlib import Path

from directory import area_files, areas

PREFECTURE = "高知県"
DATA = Path(__file__).resolve().parent / "data"
DISTRICTS_FILE = DATA / "kochi_districts.csv"
BLOCKS_FILE = DATA / "kochi_blocks.csv"

CENTER = {
    "prefecture": "高知県",
    "prefecture_code": "390003",
    "name": "高知県ひきこもり地域支援センター",
    "short_name": "ひきこもり地域支援センター",
    "phone": "",
    "fax": "",
    "email": "",
    "address": "",
}

BLOCKS = [
    # name, kana
    ("西部", "せいぶ"),
    ("中央", "ちゅうおう"),
    ("東部", "とうぶ"),
]

# name, kana, office name, kind
DISTRICTS = [
    ("安芸", "あき", "安芸福祉保健所", "welfare_health_office"),
    ("中央東", "ちゅうおうひがし", "中央東福祉保健所", "welfare_health_office"),
    ("中央西", "ちゅうおうにし", "中央西福祉保健所", "welfare_health_office"),
    ("須崎", "すさき", "須崎福祉保健所", "welfare_health_office"),
    ("幡多", "はた", "幡多福祉保健所", "welfare_health_office"),
    ("高知市", "こうちし", "高知市保健所", "city_health_center"),
]

# name, kana, kind, location (municipality code)
ORGANIZATIONS = [
    ("ひきこもりピアサポートセンター", "ひきこもりぴあさぽーとせんたー", "peer_support", "392014"),
    (
        "ひきこもりピアサポートセンター 幡多サテライト",
        "ひきこもりぴあさぽーとせんたー はたさてらいと",
        "peer_support",
        "392081",
    ),
    ("若者サポートステーション", "わかものさぽーとすてーしょん", "youth_support_station", "392014"),
    (
        "なんこく若者サポートステーション",
        "なんこくわかものさぽーとすてーしょん",
        "youth_support_station",
        "392049",
    ),
    (
        "はた若者サポートステーション",
        "はたわかものさぽーとすてーしょん",
        "youth_support_station",
        "392103",
    ),
    (
        "就労サポートセンターかみまち",
        "しゅうろうさぽーとせんたーかみまち",
        "employment_support",
        "392014",
    ),
    (
        "KHJ全国ひきこもり家族会連合会高知県支部やいろ鳥の会",
        "けーえいちじぇいやいろどりのかい",
        "family_association",
        "392014",
    ),
]


def default_center():
    """The profile the migration stores, as ``core.center.Center``."""
    from directory.center import as_center
    from directory.models import CenterProfile

    return as_center(CenterProfile(**CENTER))


def load_directory(apps=None) -> dict[str, int]:
    """Create whatever of the default directory is missing; never overwrites staff's edits
    (districts and blocks are imported only while no municipality has one).

    Works with the real models and with a migration's historical ``apps``. Returns how many
    rows of each kind it created.
    """
    if apps is None:
        from django.apps import apps as global_apps

        real_apps = None
        apps = global_apps
    else:
        real_apps = apps
    Block = apps.get_model("directory", "Block")
    District = apps.get_model("directory", "District")
    Municipality = apps.get_model("directory", "Municipality")
    Organization = apps.get_model("directory", "PartnerOrganization")
    Profile = apps.get_model("directory", "CenterProfile")
    created = {"blocks": 0, "districts": 0, "municipalities": 0, "organizations": 0}
    if Municipality.objects.exclude(code__startswith=CENTER["prefecture_code"][:2]).exists():
        # Another prefecture's directory (setup_prefecture): the default is not forced on it.
        raise RuntimeError(
            "The directory is another prefecture's; Kochi's default (and demo) is not loaded."
        )

    setup = areas.setup_prefecture(prefecture=PREFECTURE, apps=real_apps)
    created["municipalities"] = len(setup.created)
    for order, (name, kana) in enumerate(BLOCKS):
        _, new = Block.objects.get_or_create(name=name, defaults={"kana": kana, "order": order})
        created["blocks"] += new
    for order, (name, kana, office, kind) in enumerate(DISTRICTS):
        _, new = District.objects.get_or_create(
            name=name, defaults={"kana": kana, "office_name": office, "kind": kind, "order": order}
        )
        created["districts"] += new
    if not Municipality.objects.filter(district__isnull=False).exists():
        area_files.import_areas(
            districts=DISTRICTS_FILE.read_bytes(), blocks=BLOCKS_FILE.read_bytes(), apps=real_apps
        )
    municipalities = {m.code: m for m in Municipality.objects.all()}
    for name, kana, kind, location in ORGANIZATIONS:
        _, new = Organization.objects.get_or_create(
            name=name,
            defaults={"kana": kana, "kind": kind, "municipality": municipalities[location]},
        )
        created["organizations"] += new
    Profile.objects.get_or_create(pk=1, defaults=CENTER)
    return created
