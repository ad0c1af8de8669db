"""A message kind of the tests' own, about a directory Contact, registered for each test."""

import datetime as dt

import pytest
from django.core.mail import EmailMessage
from django.utils import timezone

from notifications.registry import MessageKind, register, unregister
from tests.factories import ContactFactory

NOTICE = "tests.contact_notice"


def render_notice(dispatch) -> EmailMessage:
    contact = dispatch.obj
    return EmailMessage(subject=f"お知らせ {contact.name}", body=f"{contact.name} 様\n確認です。")


def contact_still_wants_mail(dispatch) -> bool:
    return dispatch.obj.receives_notifications


@pytest.fixture
def notice_kind():
    kind = register(
        MessageKind(
            code=NOTICE,
            label="テスト通知",
            render=render_notice,
            still_true=contact_still_wants_mail,
            grace=dt.timedelta(hours=2),
            max_attempts=3,
        )
    )
    yield kind
    unregister(NOTICE)


@pytest.fixture
def contact(db):
    return ContactFactory(name="伊野 一郎", email="ichiro@example.jp")


@pytest.fixture
def now():
    return timezone.now()
