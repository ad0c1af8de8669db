"""The center's profile (directory.center behind core.center), the districts-and-blocks page
and the prefecture map."""

import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from core import audit
from core import center as core_center
from core.templatetags.center import signature
from directory import areas
from directory.center import update_profile
from directory.models import CenterProfile, District, Municipality
from supervision import maps
from supervision.queries import case_meeting_goal
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent

FORM = {
    "prefecture": "高知県",
    "name": "テスト県ひきこもり地域支援センター",
    "short_name": "テストセンター",
    "phone": "000-111-2222",
    "fax": "000-111-3333",
    "email": "center@test.example",
    "address": "テスト市1-2-3",
    "section_direct_support": "個別支援",
}


def test_the_default_profile_is_the_one_the_migration_stored():
    profile = CenterProfile.objects.get()

    assert core_center.current().name == profile.name
    assert core_center.current().prefecture == profile.prefecture


def test_center_staff_edit_the_profile_and_every_change_is_audited(center_staff):
    client = client_for(center_staff)

    response = client.post("/account/center/", FORM)

    assert response.status_code == 302
    profile = CenterProfile.objects.get()
    assert (profile.name, profile.phone, profile.prefecture_code) == (
        "テスト県ひきこもり地域支援センター",
        "000-111-2222",
        "390003",
    )
    assert core_center.current().sections == {"direct_support": "個別支援"}
    [entry] = audit.history(profile)
    assert entry.actor == center_staff
    assert entry.changes["phone"] == ["", "000-111-2222"]
    page = client.get("/account/center/").content.decode()
    assert "000-111-2222" in page
    footer = client.get("/").content.decode()
    assert "テスト県ひきこもり地域支援センター" in footer and "000-111-2222" in footer


def test_saving_the_same_profile_records_nothing_new(center_staff):
    client = client_for(center_staff)
    client.post("/account/center/", FORM)

    client.post("/account/center/", FORM)

    assert audit.history(CenterProfile.objects.get()).count() == 1


def test_a_profile_without_a_name_or_with_a_bad_email_is_refused(center_staff):
    client = client_for(center_staff)

    response = client.post("/account/center/", {**FORM, "name": "", "email": "nope"})

    assert response.status_code == 422
    assert CenterProfile.objects.get().name != ""
    assert not audit.history(CenterProfile.objects.get()).exists()


def test_only_center_staff_see_the_profile_and_areas_pages(health_office_staff, municipal_staff):
    for user in (health_office_staff, municipal_staff):
        client = client_for(user)
        assert client.get("/account/center/").status_code == 404
        assert client.get("/account/areas/").status_code == 404


def test_the_admin_saves_through_the_service(admin_user):
    client = client_for(admin_user)

    response = client.post(
        f"/admin/directory/centerprofile/{CenterProfile.SINGLETON_ID}/change/",
        {**{k: v for k, v in FORM.items() if not k.startswith("section")}, "sections": "{}"},
    )

    assert response.status_code == 302
    assert core_center.current().name == "テスト県ひきこもり地域支援センター"
    assert audit.history(CenterProfile.objects.get()).get().actor == admin_user


def test_every_email_ends_with_the_centers_signature():
    update_profile(by=None, **{k: v for k, v in FORM.items() if not k.startswith("section")})
    bodies = [
        path
        for path in ROOT.glob("*/templates/*/email/*.txt")
        if not path.name.endswith("_subject.txt") and not path.name.startswith("_")
    ]
    assert len(bodies) >= 12
    for path in bodies:
        text = path.read_text()
        footer = re.search(r'{% include "(\w+/email/_footer\.txt)"', text)
        if footer:
            text = (path.parent / Path(footer.group(1)).name).read_text()
        assert "{% center_signature %}" in text, path
    rendered = render_to_string("supervision/email/_footer.txt", {})
    assert rendered.strip() == signature(core_center.current())
    assert "TEL 000-111-2222　FAX 000-111-3333" in rendered
    assert "テスト市1-2-3" in rendered


def test_the_areas_page_imports_and_names_the_bad_line(center_staff):
    client = client_for(center_staff)
    bad = "district,municipality_code\n須崎福祉保健所,392014\n須崎福祉保健所,123456\n"
    before = list(Municipality.objects.values_list("pk", "district_id"))

    response = client.post(
        "/account/areas/",
        {"action": "import", "import-districts": _upload("d.csv", bad)},
    )

    assert response.status_code == 422
    assert "3行目: 団体コード 123456 の市町村がありません。" in response.content.decode()
    assert list(Municipality.objects.values_list("pk", "district_id")) == before


def test_the_areas_page_assigns_and_adds(center_staff):
    client = client_for(center_staff)
    kochi = Municipality.objects.get(name="高知市")
    hata = District.objects.get(name="幡多")

    client.post("/account/areas/", {"action": "district", "district-office_name": "新保健所",
                                    "district-kind": "health_center"})  # fmt: skip
    response = client.post(
        "/account/areas/", {"action": "assign", f"municipality_{kochi.pk}": hata.pk}
    )

    assert response.status_code == 302
    kochi.refresh_from_db()
    assert (kochi.district, kochi.block) == (hata, hata.block)
    assert District.objects.filter(office_name="新保健所", name="新").exists()
    assert audit.history(kochi).get().changes["district"][1] == hata.pk
    exported = client.get("/account/areas/districts.csv").content.decode("utf-8-sig")
    assert "幡多福祉保健所,392014" in exported


def test_assigning_the_same_again_changes_nothing(center_staff):
    kochi = Municipality.objects.get(name="高知市")

    changed = areas.assign_areas(
        municipality_districts={kochi.pk: kochi.district_id},
        district_blocks={kochi.district_id: kochi.district.block_id},
        by=center_staff,
    )

    assert changed == 0


def test_the_case_meeting_page_shows_the_prefecture_map(center_staff):
    page = client_for(center_staff).get("/supervision/case-meetings/?fy=2021").content.decode()

    svg = re.search(r"<svg.*?</svg>", page, flags=re.S).group(0)
    assert svg.count("<circle") == 34
    assert 'aria-hidden="true"' in svg
    assert "map-point without" in svg
    # The list beside it, for screen readers: every municipality, a link each.
    listed = re.search(r'<details class="map-list">.*?</details>', page, flags=re.S).group(0)
    assert listed.count("<li>") == 34 and listed.count("<a href=") == 34


def test_a_municipal_user_gets_a_link_only_to_their_own_municipality(municipal_staff):
    page = client_for(municipal_staff).get("/supervision/case-meetings/?fy=2021").content.decode()

    svg = re.search(r"<svg.*?</svg>", page, flags=re.S).group(0)
    listed = re.search(r'<details class="map-list">.*?</details>', page, flags=re.S).group(0)
    assert svg.count("<circle") == 34 and listed.count("<li>") == 34
    [own] = re.findall(r'href="(/supervision/targets/\d+/)"', svg)
    assert re.findall(r'<a href="(/supervision/targets/\d+/)">([^<]+)</a>', listed) == [
        (own, "いの町")
    ]
    assert client_for(municipal_staff).get(own).status_code == 200
    assert 'href="#"' not in svg


def test_the_map_places_west_left_and_north_up(center_staff):
    goal = case_meeting_goal(fiscal_year=2021)
    drawn = {p.name: p for p in maps.case_meeting_map(goal, center_staff).points}

    assert drawn["宿毛市"].x < drawn["高知市"].x < drawn["室戸市"].x  # west → east
    assert drawn["大川村"].y < drawn["土佐清水市"].y  # north above south


def _upload(name, text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_center_staff_color_the_map_by_progress(center_staff, health_office_staff):
    from supervision import services as supervision
    from supervision.models import Target

    ino = Target.objects.get(municipality__name="いの町")
    supervision.set_plan(target_id=ino.pk, fiscal_year=2021, planned=2, actor=center_staff)

    page = client_for(center_staff).get("/supervision/case-meetings/?fy=2021&map=progress")
    other = client_for(health_office_staff).get("/supervision/case-meetings/?fy=2021&map=progress")

    svg = re.search(r"<svg.*?</svg>", page.content.decode(), flags=re.S).group(0)
    assert svg.count("<circle") == 34
    assert svg.count("map-point no-plan") == 33
    assert re.search(r"<title>いの町: [^<]*\(0 / 2\)</title>", svg)
    assert "map-point no-plan" not in other.content.decode()  # case-meeting colors only
    assert "map-colors" not in other.content.decode()
