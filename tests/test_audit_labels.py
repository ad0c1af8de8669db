"""Japanese everywhere in the history (issue #21): every action the code audits has a label of
its own, translated, that reads as a sentence; a visit's 変更履歴 says what happened in words
people say (「実施済を取り消しました（理由: …）」) with 和暦 dates and no internal counters.

The actions are found in the source itself (every ``"<app>.<model>.<verb>"`` naming a model),
and the admin's audited models, so a new action without a label fails here."""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.utils import translation

from core import audit
from core.admin import AuditedAdminMixin
from supervision import services
from tests.conftest import client_for
from tests.supervision.conftest import at, target
from tests.supervision.factories import VisitFactory

ROOT = Path(__file__).resolve().parent.parent
APPS = ("core", "directory", "training", "supervision", "attendance", "notifications", "feeds")
# Actions named after something other than their model's name.
NAMED = {"center", "consultation_channel", "direct_support"}
ACTION = re.compile(r"([a-z_]+)\.([a-z_]+)\.([a-z_]+)")


def _model(app_label: str, name: str):
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def _source_actions() -> set[str]:
    found = set()
    for app in (*APPS, "reports"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                    continue
                match = ACTION.fullmatch(node.value)
                # "supervision.visit.done" names a model ("training.reminders.x" a module)
                if (
                    match
                    and match.group(1) in apps.app_configs
                    and (_model(match.group(1), match.group(2)) or match.group(2) in NAMED)
                ):
                    found.add(node.value)
    return found


def _admin_actions() -> set[str]:
    found = set()
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, AuditedAdminMixin):
            continue
        models = [model, *(inline.model for inline in model_admin.inlines)]
        for each in models:
            for verb in ("created", "changed", "deleted"):
                found.add(f"{each._meta.app_label}.{each._meta.model_name}.{verb}")
    return found


def test_the_scan_finds_the_actions_it_must():
    actions = _source_actions()

    assert {
        "supervision.visit.reopened",
        "reports.consultation_channel.added",
        "training.event.published",
        "directory.center.changed",
    } <= actions
    assert "directory.user.changed" in _admin_actions()


@pytest.mark.parametrize("action", sorted(_source_actions() | _admin_actions()))
def test_every_audited_action_has_a_translated_label(action):
    assert audit.is_registered(action), f"{action}: no label (audit.register_actions)"
    with translation.override("ja"):
        japanese = audit.action_label(action)
    with translation.override("en"):
        english = audit.action_label(action)

    assert not re.search(r"[a-z]", japanese), (action, japanese)
    assert "ました" in japanese, (action, japanese)  # a sentence: what was done
    assert japanese != english


@pytest.mark.django_db
def test_a_visits_history_reads_as_sentences_in_japanese(center_staff):
    visit = VisitFactory(target=target("いの町"), starts_at=at("2021-06-10"))
    visit.staff.add(center_staff)
    services.complete_visit(visit_id=visit.pk, actor=center_staff, now=at("2021-06-10", "15:00"))
    services.reopen_visit(visit_id=visit.pk, actor=center_staff, reason="記録の誤り")
    services.postpone_visit(
        visit_id=visit.pk, new_starts_at=at("2021-06-17"), reason="先方都合", actor=center_staff
    )
    services.cancel_visit(visit_id=visit.pk, reason="台風", actor=center_staff)
    services.reopen_visit(visit_id=visit.pk, actor=center_staff, reason="台風がそれた")

    page = client_for(center_staff).get(f"/supervision/visits/{visit.pk}/").content.decode()
    history = page[page.index('id="audit-trail-heading">') + 25 :]
    history = history[: history.index("</section>")]
    text = re.sub(r"<[^>]+>", " ", history)

    assert "実施済を取り消しました（理由: 記録の誤り）" in text
    assert "中止を取り消しました（理由: 台風がそれた）" in text
    assert "訪問を延期しました（理由: 先方都合）" in text
    assert "訪問を中止しました（理由: 台風）" in text
    assert "実施済にしました" in text
    assert "更新番号" not in text and "sequence" not in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), re.search(r"\d{4}-\d{2}-\d{2}.{0,20}", text)
    assert not re.search(r"\b[a-z]{3,}\b", text), re.findall(r"\b[a-z]{3,}\b", text)
    assert "令和3年6月17日（木） 10:00" in text
