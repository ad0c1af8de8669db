"""Login throttling (django-axes): wrong passwords lock the account, with a Japanese page,
429 and Retry-After; it unlocks by itself after the cool-off, or when center staff unlock it."""

import datetime as dt
import re

import pytest
import requests
from axes.models import AccessAttempt
from django.test import Client

from tests.conftest import client_for
from tests.factories import UserFactory, municipality

pytestmark = pytest.mark.django_db


def log_in(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


@pytest.fixture
def victim(db):
    user = UserFactory(username="ino2", role="municipal", municipality=municipality("いの町"))
    user.set_password("right-password-1")
    user.save()
    return user


def test_wrong_passwords_lock_the_account_even_for_the_right_one(victim):
    client = Client()
    for _ in range(4):
        assert log_in(client, "ino2", "wrong").status_code == 200
    assert log_in(client, "ino2", "wrong").status_code == 429

    response = log_in(Client(), "ino2", "right-password-1")

    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    assert "パスワードの誤りが続いたため" in response.content.decode()
    assert "_auth_user_id" not in Client().session


def test_a_locked_account_unlocks_after_the_cool_off(victim):
    for _ in range(5):
        log_in(Client(), "ino2", "wrong")
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - dt.timedelta(minutes=16)
    )

    response = log_in(Client(), "ino2", "right-password-1")

    assert response.status_code == 302


def test_center_staff_unlock_an_account_and_others_cannot(victim, center_staff, municipal_staff):
    for _ in range(5):
        log_in(Client(), "ino2", "wrong")
    assert "ino2" in client_for(center_staff).get("/account/lockouts/").content.decode()
    assert client_for(municipal_staff).get("/account/lockouts/").status_code == 404
    assert (
        client_for(municipal_staff)
        .post("/account/lockouts/unlock/", {"username": "ino2"})
        .status_code
        == 404
    )
    assert log_in(Client(), "ino2", "right-password-1").status_code == 429

    client_for(center_staff).post("/account/lockouts/unlock/", {"username": "ino2"})

    assert log_in(Client(), "ino2", "right-password-1").status_code == 302


# --- the lockout locks the attacker: (account, client) on a live server behind a proxy ----------


class BrowserBehindProxy:
    """A browser session whose requests reach the live server through one trusted proxy
    (PROXY_COUNT=1 in the test settings), which appends the client's address."""

    def __init__(self, base_url: str, address: str):
        self.base_url = base_url
        self.session = requests.Session()
        self.session.headers["X-Forwarded-For"] = address

    def log_in(self, username: str, password: str) -> requests.Response:
        page = self.session.get(f"{self.base_url}/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return self.session.post(
            f"{self.base_url}/login/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.base_url}/login/"},
            allow_redirects=False,
        )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_unknown_names_from_one_client_do_not_lock_out_another_client(live_server):
    owner = UserFactory(username="center2", role="center")
    owner.set_password("right-password-1")
    owner.save()
    attacker = BrowserBehindProxy(live_server.url, "203.0.113.66")
    for n in range(6):
        attacker.log_in(f"nobody{n % 2}", "wrong")

    response = BrowserBehindProxy(live_server.url, "198.51.100.2").log_in(
        "center2", "right-password-1"
    )

    assert response.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.66"}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_stranger_cannot_lock_a_named_account_for_its_owner(live_server):
    owner = UserFactory(username="center2", role="center")
    owner.set_password("right-password-1")
    owner.save()
    stranger = BrowserBehindProxy(live_server.url, "203.0.113.66")
    for _ in range(5):
        stranger.log_in("center2", "wrong")
    locked = stranger.log_in("center2", "right-password-1")

    response = BrowserBehindProxy(live_server.url, "198.51.100.2").log_in(
        "center2", "right-password-1"
    )

    assert locked.status_code == 429  # the stranger's own client is locked ...
    assert locked.headers["Retry-After"] == str(15 * 60)
    assert response.status_code == 302  # ... the owner's is not
