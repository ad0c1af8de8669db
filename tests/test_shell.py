"""The UI shell: home page, login, language switch, health check, demo loading, schedules."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django_q.models import Schedule

from config.jobs import JOBS
from directory.models import Contact, Municipality, User
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_home_page_is_japanese_by_default():
    response = Client().get("/")

    assert response.status_code == 200
    assert '<html lang="ja">' in response.content.decode()
    assert "ひきこもり支援" in response.content.decode()


def test_home_page_switches_to_english():
    client = Client()

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")

    assert '<html lang="en">' in response.content.decode()
    assert "Staff login" in response.content.decode()


def test_home_page_tells_an_outsider_they_have_no_role(outsider):
    response = client_for(outsider).get("/")

    assert "役割" in response.content.decode()


def test_login_with_wrong_password_shows_a_japanese_error(center_staff):
    response = Client().post("/login/", {"username": "center", "password": "wrong"})

    assert response.status_code == 200
    assert "正しいユーザー名とパスワードを入力してください" in response.content.decode()


def test_admin_lists_the_34_municipalities(superuser):
    response = client_for(superuser).get("/admin/directory/municipality/")

    assert response.status_code == 200
    assert "34 市区町村" in response.content.decode() or "34" in response.content.decode()
    assert "檮原町" in response.content.decode()


def test_healthz_reports_database_and_queue():
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "queue": "ok"}


def test_load_demo_twice_changes_nothing():
    call_command("load_demo", stdout=io.StringIO())
    counts = (User.objects.count(), Contact.objects.count(), Municipality.objects.count())

    call_command("load_demo", stdout=io.StringIO())

    assert (User.objects.count(), Contact.objects.count(), Municipality.objects.count()) == counts
    assert User.objects.get(username="center").check_password("sasaeru-demo")


def test_sync_schedules_matches_the_job_list_and_removes_others():
    Schedule.objects.create(name="obsolete", func="os.getcwd", schedule_type=Schedule.HOURLY)

    call_command("sync_schedules", stdout=io.StringIO())
    call_command("sync_schedules", stdout=io.StringIO())

    assert sorted(Schedule.objects.values_list("name", flat=True)) == sorted(j.name for j in JOBS)


def test_navigation_offers_staff_pages_only_to_people_with_a_role(center_staff, outsider):
    staff_page = client_for(center_staff).get("/").content.decode()
    outsider_page = client_for(outsider).get("/").content.decode()

    assert 'href="/supervision/"' in staff_page
    assert 'href="/supervision/"' not in outsider_page
    assert 'href="/training/"' in outsider_page
