"""Use cases of targets and their yearly plans: the target of a municipality, district or
organization, and how many visits it should get in a fiscal year. Errors as in
``supervision.services``."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.inputs import MAX_PLANNED_VISITS
from core.usecases import audited_as, load_visible, may
from directory.models import District, Municipality, PartnerOrganization
from supervision.models import Plan, PlanRevision, Target
from supervision.permissions import can_plan_visits
from supervision.services.visits import visible_target

MAX_PLANNED = MAX_PLANNED_VISITS


@transaction.atomic
def target_for(
    *,
    municipality: Municipality | None = None,
    district: District | None = None,
    organization: PartnerOrganization | None = None,
) -> Target:
    """The target for exactly one municipality, district or organization (created once)."""
    given = {
        key: value
        for key, value in {
            "municipality": municipality,
            "district": district,
            "organization": organization,
        }.items()
        if value is not None
    }
    if len(given) != 1:
        raise ValidationError(
            {"target": _("A target is exactly one municipality, district or organization.")}
        )
    target, _created = Target.objects.get_or_create(**given)
    return target


@transaction.atomic
def create_target(
    *,
    actor,
    municipality_id: int | None = None,
    district_id: int | None = None,
    organization_id: int | None = None,
) -> Target:
    """The target of one municipality, district or organization, created if it has none yet
    (``target_for``) by someone who plans visits."""
    may(actor, can_plan_visits)
    models = {
        "municipality": Municipality,
        "district": District,
        "organization": PartnerOrganization,
    }
    ids = {
        "municipality": municipality_id,
        "district": district_id,
        "organization": organization_id,
    }
    given = {
        key: load_visible(
            models[key].objects.all(),
            pk,
            field=f"{key}_id",
            message=_("Unknown %(what)s.") % {"what": key},
        )
        for key, pk in ids.items()
        if pk is not None
    }
    return target_for(**given)


@transaction.atomic
def ensure_targets() -> int:
    """A target for every municipality, district and organization that has none yet (after
    the directory changed: setup_prefecture, districts imported); returns how many."""
    missing = [
        Target(kind=Target.Kind.MUNICIPALITY, municipality=row)
        for row in Municipality.objects.filter(supervision_target__isnull=True)
    ]
    missing += [
        Target(kind=Target.Kind.DISTRICT, district=row)
        for row in District.objects.filter(supervision_target__isnull=True)
    ]
    missing += [
        Target(kind=Target.Kind.ORGANIZATION, organization=row)
        for row in PartnerOrganization.objects.filter(supervision_target__isnull=True)
    ]
    Target.objects.bulk_create(missing)
    return len(missing)


@transaction.atomic
def set_plan(*, actor, target_id: int, fiscal_year: int, planned: int, reason: str = "") -> Plan:
    """Set the number of visits planned for the target in the fiscal year. Every change,
    the first one included, is kept as a revision (who, when, old, new, why). Setting the
    same number again changes nothing."""
    may(actor, can_plan_visits)
    target = visible_target(actor, target_id)
    by = audited_as(actor)
    if planned is None or planned < 0:
        raise ValidationError({"planned": _("The planned number of visits cannot be negative.")})
    if planned > MAX_PLANNED:
        raise ValidationError(
            {"planned": _("At most %(max)d visits can be planned.") % {"max": MAX_PLANNED}}
        )
    if not 2000 <= fiscal_year <= 2100:
        raise ValidationError({"fiscal_year": _("Unknown fiscal year.")})
    plan = Plan.objects.select_for_update().filter(target=target, fiscal_year=fiscal_year).first()
    if plan is None:
        plan = Plan.objects.create(target=target, fiscal_year=fiscal_year, planned=planned)
        old = None
    elif plan.planned == planned:
        return plan
    else:
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the plan changes.")})
        old = plan.planned
        plan.planned = planned
        plan.save(update_fields=["planned", "updated_at"])
    PlanRevision.objects.create(
        plan=plan, revised_by=by, old_planned=old, new_planned=planned, reason=reason.strip()
    )
    audit.record(
        plan,
        "supervision.plan.created" if old is None else "supervision.plan.changed",
        by=by,
        changes={"planned": [old, planned]},
        reason=reason.strip(),
    )
    return plan
