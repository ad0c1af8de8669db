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

# Kochi's own words (domain guide: Kochi's words are Kochi's), set on its profile by migration
# 0007 and shown only where the profile says so: its health offices are 福祉保健所, its forms
# offer the staff of あったかふれあいセンター (a Kochi program), its youth gathering is
# 青年期の集い and its case-meeting goal is every municipality by R5 (FY2023).
WORDS = {
    "health_office_name": "福祉保健所",
    "affiliations": [
        ["welfare_commissioner", ""],
        ["community_center", "あったかふれあいセンター職員"],
        ["municipal", ""],
        ["social_welfare_council", ""],
        ["medical", ""],
        ["private_support", ""],
        ["other", ""],
    ],
    "sections": {"ibasho": "居場所づくり支援（青年期の集い）"},
    "goal_fiscal_year": 2023,
    "goal_share": 100,
    "goal_wording": "県は令和5年度までに全市町村でのケース会議開催を目指しています。",
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


class OtherPrefecture(RuntimeError):
    """The database holds another prefecture's directory (setup_prefecture)."""


def other_prefecture(apps=None) -> str | None:
    """The prefecture whose directory the database holds, if it is not the default's."""
    Municipality = (apps or _global_apps()).get_model("directory", "Municipality")
    other = Municipality.objects.exclude(code__startswith=CENTER["prefecture_code"][:2]).first()
    if other is None:
        return None
    from directory import sources

    found = sources.find_prefecture(other.code[:2]) if other.code else None
    return found.name if found else "?"


def _global_apps():
    from django.apps import apps

    return apps


def default_center():
    """The profile the migration stores, as ``core.center.Center``."""
    from directory.center import as_center
    from directory.models import CenterProfile

    return as_center(CenterProfile(**CENTER, **WORDS))


def give_words(profile) -> bool:
    """Kochi's words on Kochi's profile where it has none of its own (a data migration's row
    or the real one). Returns whether anything changed."""
    if profile.prefecture_code != CENTER["prefecture_code"]:
        return False
    changed = False
    if profile.health_office_name in ("", "保健所"):
        profile.health_office_name = WORDS["health_office_name"]
        changed = True
    if not profile.affiliations:
        profile.affiliations = WORDS["affiliations"]
        changed = True
    sections = dict(profile.sections or {})
    if not sections.get("ibasho"):
        profile.sections = {**sections, **WORDS["sections"]}
        changed = True
    if profile.goal_fiscal_year is None and not profile.goal_wording:
        profile.goal_fiscal_year = WORDS["goal_fiscal_year"]
        profile.goal_share = WORDS["goal_share"]
        profile.goal_wording = WORDS["goal_wording"]
        changed = True
    return changed


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
        raise OtherPrefecture(
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
