"""The staff lecturer list shows each lecturer's honorific and the line the report prints for
them (issue #20: 医師／教授 as the document places them)."""

import re

import pytest

from tests.conftest import client_for
from training.models import Lecturer

pytestmark = pytest.mark.django_db


def test_the_lecturer_list_shows_the_honorific_as_the_report_prints_it(center_staff):
    Lecturer.objects.create(name="小松 静香", kana="こまつ しずか", affiliation="○○大学医学部",
                            title="特任助教", honorific="医師", print_style="position")  # fmt: skip
    Lecturer.objects.create(name="近藤 直司", kana="こんどう なおじ", affiliation="○○大学○○学科",
                            title="教授", honorific="教授", print_style="name")  # fmt: skip

    page = client_for(center_staff).get("/training/staff/lecturers/").content.decode()

    rows = [re.sub(r"<[^>]+>", "|", row) for row in re.findall(r"<tr>.*?</tr>", page, re.S)]
    assert "敬称・資格" in rows[0] and "報告書での表記" in rows[0]
    assert "|医師||○○大学医学部特任助教　小松　静香　医師|" in rows[1]
    assert "|教授||近藤　直司教授（○○大学○○学科）|" in rows[2]
