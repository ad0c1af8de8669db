"""Kochi Prefecture's default directory (domain guide, "Geography"). Staff change it in the
admin afterwards; this module only seeds an empty database and is never read at run time."""

BLOCKS = [
    # name, kana
    ("西部", "せいぶ"),
    ("中央", "ちゅうおう"),
    ("東部", "とうぶ"),
]

# name, kana, office name, kind, default block of its municipalities
DISTRICTS = [
    ("安芸", "あき", "安芸福祉保健所", "welfare_health_office", "東部"),
    ("中央東", "ちゅうおうひがし", "中央東福祉保健所", "welfare_health_office", "中央"),
    ("中央西", "ちゅうおうにし", "中央西福祉保健所", "welfare_health_office", "中央"),
    ("須崎", "すさき", "須崎福祉保健所", "welfare_health_office", "西部"),
    ("幡多", "はた", "幡多福祉保健所", "welfare_health_office", "西部"),
    ("高知市", "こうちし", "高知市保健所", "city_health_center", "中央"),
]

# name, kana, district
MUNICIPALITIES = [
    ("高知市", "こうちし", "高知市"),
    ("室戸市", "むろとし", "安芸"),
    ("安芸市", "あきし", "安芸"),
    ("南国市", "なんこくし", "中央東"),
    ("土佐市", "とさし", "中央西"),
    ("須崎市", "すさきし", "須崎"),
    ("宿毛市", "すくもし", "幡多"),
    ("土佐清水市", "とさしみずし", "幡多"),
    ("四万十市", "しまんとし", "幡多"),
    ("香南市", "こうなんし", "中央東"),
    ("香美市", "かみし", "中央東"),
    ("東洋町", "とうようちょう", "安芸"),
    ("奈半利町", "なはりちょう", "安芸"),
    ("田野町", "たのちょう", "安芸"),
    ("安田町", "やすだちょう", "安芸"),
    ("北川村", "きたがわむら", "安芸"),
    ("馬路村", "うまじむら", "安芸"),
    ("芸西村", "げいせいむら", "安芸"),
    ("本山町", "もとやまちょう", "中央東"),
    ("大豊町", "おおとよちょう", "中央東"),
    ("土佐町", "とさちょう", "中央東"),
    ("大川村", "おおかわむら", "中央東"),
    ("いの町", "いのちょう", "中央西"),
    ("仁淀川町", "によどがわちょう", "中央西"),
    ("中土佐町", "なかとさちょう", "須崎"),
    ("佐川町", "さかわちょう", "中央西"),
    ("越知町", "おちちょう", "中央西"),
    ("梼原町", "ゆすはらちょう", "須崎"),
    ("日高村", "ひだかむら", "中央西"),
    ("津野町", "つのちょう", "須崎"),
    ("四万十町", "しまんとちょう", "須崎"),
    ("大月町", "おおつきちょう", "幡多"),
    ("三原村", "みはらむら", "幡多"),
    ("黒潮町", "くろしおちょう", "幡多"),
]

# name, kana, kind, location
ORGANIZATIONS = [
    ("ひきこもりピアサポートセンター", "ひきこもりぴあさぽーとせんたー", "peer_support", "高知市"),
    (
        "ひきこもりピアサポートセンター 幡多サテライト",
        "ひきこもりぴあさぽーとせんたー はたさてらいと",
        "peer_support",
        "宿毛市",
    ),
    ("若者サポートステーション", "わかものさぽーとすてーしょん", "youth_support_station", "高知市"),
    (
        "なんこく若者サポートステーション",
        "なんこくわかものさぽーとすてーしょん",
        "youth_support_station",
        "南国市",
    ),
    (
        "はた若者サポートステーション",
        "はたわかものさぽーとすてーしょん",
        "youth_support_station",
        "四万十市",
    ),
    (
        "就労サポートセンターかみまち",
        "しゅうろうさぽーとせんたーかみまち",
        "employment_support",
        "高知市",
    ),
    (
        "KHJ全国ひきこもり家族会連合会高知県支部やいろ鳥の会",
        "けーえいちじぇいやいろどりのかい",
        "family_association",
        "高知市",
    ),
]


def municipality_kind(name: str) -> str:
    return {"市": "city", "町": "town", "村": "village"}[name[-1]]


def load_directory(apps=None) -> dict[str, int]:
    """Create whatever of the default directory is missing; never overwrites staff's edits.

    Works with the real models and with a migration's historical ``apps``. Returns how many
    rows of each kind it created.
    """
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Block = apps.get_model("directory", "Block")
    District = apps.get_model("directory", "District")
    Municipality = apps.get_model("directory", "Municipality")
    Organization = apps.get_model("directory", "PartnerOrganization")
    created = {"blocks": 0, "districts": 0, "municipalities": 0, "organizations": 0}

    blocks = {}
    for order, (name, kana) in enumerate(BLOCKS):
        blocks[name], new = Block.objects.get_or_create(
            name=name, defaults={"kana": kana, "order": order}
        )
        created["blocks"] += new
    districts, district_block = {}, {}
    for order, (name, kana, office, kind, block) in enumerate(DISTRICTS):
        districts[name], new = District.objects.get_or_create(
            name=name, defaults={"kana": kana, "office_name": office, "kind": kind, "order": order}
        )
        district_block[name] = blocks[block]
        created["districts"] += new
    municipalities = {}
    for order, (name, kana, district) in enumerate(MUNICIPALITIES):
        municipalities[name], new = Municipality.objects.get_or_create(
            name=name,
            defaults={
                "kana": kana,
                "kind": municipality_kind(name),
                "district": districts[district],
                "block": district_block[district],
                "order": order,
            },
        )
        created["municipalities"] += new
    for name, kana, kind, location in ORGANIZATIONS:
        _, new = Organization.objects.get_or_create(
            name=name,
            defaults={"kana": kana, "kind": kind, "municipality": municipalities[location]},
        )
        created["organizations"] += new
    return created
