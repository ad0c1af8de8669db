"""Japan's prefectures and municipalities from a maintained source: the ``japancode`` package
(MIT, https://github.com/ozekik/japancode), which ships the local-government codes
(全国地方公共団体コード), names, kana readings and the latitude and longitude of each office.

Its list also holds the wards (区) of the designated cities (``札幌市 中央区``): they are not
municipalities and are left out, so the 47 prefectures hold 1,741 municipalities (1,718 cities,
towns and villages and Tokyo's 23 special wards; checked against the official figures in
``tests/test_prefectures.py``). Nothing here touches the database.
"""

import functools
import json
from dataclasses import dataclass
from importlib import resources

SOURCE = "japancode"


@dataclass(frozen=True)
class SourcePrefecture:
    code: str  # 6 digits with the check digit: 390003
    name: str  # 徳島県
    kana: str

    @property
    def number(self) -> str:
        """The two digits every municipality code of the prefecture starts with."""
        return self.code[:2]


@dataclass(frozen=True)
class SourceMunicipality:
    code: str  # 団体コード, 6 digits with the check digit: 392014
    name: str
    kana: str
    kind: str  # city, town, village, special_ward
    latitude: float | None
    longitude: float | None

    @property
    def prefecture_number(self) -> str:
        return self.code[:2]


def check_digit(code5: str) -> str:
    """The check digit of a five-digit local-government code (総務省の検査数字)."""
    total = sum(int(digit) * weight for digit, weight in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def normalize_code(value: str) -> str | None:
    """A code as written by people (5 digits without, or 6 with the check digit; full-width
    digits allowed) as the 6-digit form, or None when it is not a valid code."""
    value = (value or "").strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not value.isdigit() or len(value) not in (5, 6):
        return None
    full = value[:5] + check_digit(value[:5])
    return full if len(value) == 5 or full == value else None


def kind_of(name: str) -> str:
    return {"市": "city", "町": "town", "村": "village", "区": "special_ward"}[name[-1]]


def _data(filename: str) -> list[dict]:
    return json.loads((resources.files("japancode") / "data" / filename).read_text("utf-8"))


@functools.cache
def prefectures() -> tuple[SourcePrefecture, ...]:
    return tuple(
        SourcePrefecture(code=row["lgcode"].zfill(6), name=row["pref"], kana=row["prefkana"])
        for row in _data("prefectures.json")
    )


@functools.cache
def _municipalities() -> dict[str, tuple[SourceMunicipality, ...]]:
    by_prefecture: dict[str, list[SourceMunicipality]] = {}
    for row in _data("municipalities.json"):
        name = row["city"].strip()
        if " " in name:  # a ward of a designated city: not a municipality
            continue
        item = SourceMunicipality(
            code=row["lgcode"].zfill(6),
            name=name,
            kana=row["citykana"].strip(),
            kind=kind_of(name),
            latitude=row.get("lat"),
            longitude=row.get("lng"),
        )
        by_prefecture.setdefault(item.prefecture_number, []).append(item)
    return {
        number: tuple(sorted(rows, key=lambda m: m.code)) for number, rows in by_prefecture.items()
    }


def find_prefecture(name_or_code: str) -> SourcePrefecture | None:
    """徳島県, 徳島, 36, 360007 or 36000 → the prefecture, else None."""
    value = (
        (name_or_code or "").strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    )
    for prefecture in prefectures():
        short = prefecture.name[:-1] if prefecture.name != "北海道" else prefecture.name
        if value in (prefecture.name, short, prefecture.code, prefecture.code[:5]):
            return prefecture
        if value.isdigit() and len(value) <= 2 and value.zfill(2) == prefecture.number:
            return prefecture
    return None


def municipalities_of(prefecture: SourcePrefecture) -> tuple[SourceMunicipality, ...]:
    """The prefecture's municipalities in code order (the order of the official list)."""
    return _municipalities().get(prefecture.number, ())


def all_municipalities() -> list[SourceMunicipality]:
    return [m for p in prefectures() for m in municipalities_of(p)]
