"""Issue #23: with DEBUG off every failure answers in Japanese: an HTML page, or JSON
``{"detail": …}`` under /api/, for 400, 403, 404, 405, 429 and 500, never Django's English
「Bad Request (400)」/「Server Error (500)」 or an empty body. The test settings are the
production defaults (DEBUG off); one test runs the documented production settings themselves
(deploy/sasaeru.env.example, as tests/production/test_settings.py does)."""

import json
import re

import pytest
from django.test import Client

from tests.conftest import client_for
from tests.production.test_settings import manage, production_env

pytestmark = pytest.mark.django_db
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
FAILING = "tests.inputs.error_urls"


def japanese_page(response) -> bool:
    text = response.content.decode()
    return response["Content-Type"].startswith("text/html") and bool(JAPANESE.search(text))


def japanese_json(response) -> bool:
    return response["Content-Type"] == "application/json" and bool(
        JAPANESE.search(response.json()["detail"])
    )


@pytest.mark.parametrize("status", [400, 403, 404, 429, 500])
@pytest.mark.parametrize("prefix", ["/api", ""])
def test_every_failure_answers_in_japanese(settings, prefix, status):
    settings.ROOT_URLCONF = FAILING
    assert settings.DEBUG is False

    response = Client(raise_request_exception=False).get(f"{prefix}/failing/{status}/")

    assert response.status_code == status
    assert (japanese_json if prefix else japanese_page)(response), response.content[:200]
    assert b"Server Error (500)" not in response.content
    assert b"Bad Request (400)" not in response.content


def test_a_crash_inside_the_api_is_a_japanese_json_500(center_staff, monkeypatch):
    def crash(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("notifications.api.reminder_settings", crash)
    client = client_for(center_staff)
    client.raise_request_exception = False

    response = client.get("/api/notifications/reminder-days", {"topic": "training.event:1"})

    assert response.status_code == 500
    assert response.json() == {
        "detail": "サーバーでエラーが起きました。エラーは記録されています。"
        "しばらくしてからもう一度お試しください。"
    }


def test_a_malformed_multipart_form_is_a_japanese_400_page(center_staff):
    response = client_for(center_staff).generic(
        "POST",
        "/account/areas/",
        b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n',
        content_type="multipart/form-data; boundary=",
    )

    assert response.status_code == 400
    assert "リクエストを読み取れませんでした。" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "method"),
    [
        ("/api/notifications/reminder-days", "delete"),
        ("/api/training/events", "put"),
        ("/training/staff/events/1/cancel/", "get"),
        ("/logout/", "get"),
    ],
)
def test_a_method_not_allowed_has_a_japanese_body_and_keeps_allow(center_staff, url, method):
    response = getattr(client_for(center_staff), method)(url)

    assert response.status_code == 405
    assert response["Allow"]
    message = f"このアドレスは {method.upper()} リクエストを受け付けません。"
    if url.startswith("/api/"):
        assert response.json() == {"detail": message}
    else:
        assert message in response.content.decode()


def test_a_csrf_failure_is_a_japanese_403(center_staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(center_staff)

    response = client.post("/account/areas/", {"action": "block", "block-name": "北"})

    assert response.status_code == 403
    assert "フォームの有効期限が切れたか" in response.content.decode()


SCRIPT = """
import json
from django.test import Client
client = Client(
    raise_request_exception=False,
    HTTP_HOST="sasaeru.example.lg.jp",
    HTTP_X_FORWARDED_PROTO="https",
    secure=True,
)
answers = {}
for url, method in [("/no-such-page/", "get"), ("/api/no-such", "get"),
                    ("/api/notifications/reminder-days", "delete"), ("/logout/", "get")]:
    response = getattr(client, method)(url)
    answers[url + " " + method] = [response.status_code, response["Content-Type"],
                                   response.content.decode()[:2000]]
print(json.dumps(answers))
"""


def test_with_the_documented_production_settings(tmp_path, migrated_sqlite_url):
    env = {**production_env(tmp_path), "DATABASE_URL": migrated_sqlite_url}
    done = manage("shell", "-c", SCRIPT, **env)
    assert done.returncode == 0, done.stderr

    answers = json.loads(done.stdout.strip().splitlines()[-1])

    for key, (status, content_type, body) in answers.items():
        assert status in (404, 405), key
        if key.startswith("/api/"):
            assert content_type == "application/json", key
            assert JAPANESE.search(json.loads(body)["detail"]), key
        else:
            assert content_type.startswith("text/html"), key
            assert JAPANESE.search(body), key
