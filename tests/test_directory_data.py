from collections import Counter

import pytest

from directory.kochi import load_directory
from directory.models import Block, District, Municipality, PartnerOrganization

pytestmark = pytest.mark.django_db


def test_directory_has_exactly_34_municipalities():
    kinds = Counter(Municipality.objects.values_list("kind", flat=True))

    assert Municipality.objects.count() == 34
    assert kinds == {"city": 11, "town": 17, "village": 6}


def test_directory_every_municipality_has_one_district_and_one_block():
    rows = list(Municipality.objects.values_list("name", "district__name", "block__name"))

    assert all(district and block for _, district, block in rows)
    assert len({name for name, _, _ in rows}) == 34


def test_directory_blocks_follow_the_default_split():
    by_block = {
        block.name: sorted(set(block.municipalities.values_list("district__name", flat=True)))
        for block in Block.objects.all()
    }

    assert list(by_block) == ["西部", "中央", "東部"]
    assert by_block == {
        "西部": ["幡多", "須崎"],
        "中央": ["中央東", "中央西", "高知市"],
        "東部": ["安芸"],
    }


def test_directory_districts_hold_the_guides_municipalities():
    susaki = list(Municipality.objects.filter(district__name="須崎").values_list("name", flat=True))

    assert District.objects.count() == 6
    assert susaki == ["須崎市", "中土佐町", "檮原町", "津野町", "四万十町"]


def test_directory_kana_readings_are_hiragana():
    readings = dict(Municipality.objects.values_list("name", "kana"))

    assert readings["檮原町"] == "ゆすはらちょう"
    assert readings["高知市"] == "こうちし"
    assert all(all("\u3040" <= ch <= "\u309f" for ch in kana) for kana in readings.values())


def test_directory_partner_organizations_have_kinds():
    kinds = dict(PartnerOrganization.objects.values_list("name", "kind"))

    assert kinds["若者サポートステーション"] == "youth_support_station"
    assert kinds["ひきこもりピアサポートセンター"] == "peer_support"


def test_load_directory_twice_changes_nothing():

    Municipality.objects.filter(name="いの町").update(kana="いのちょう")
    Municipality.objects.filter(name="須崎市").update(district=District.objects.get(name="幡多"))

    created = load_directory()

    assert created == {"blocks": 0, "districts": 0, "municipalities": 0, "organizations": 0}
    assert Municipality.objects.get(name="須崎市").district.name == "幡多"
    assert Municipality.objects.count() == 34


def test_district_area_name_reads_as_in_the_seed():
    assert District.objects.get(name="幡多").area_name == "幡多福祉保健所管内"
