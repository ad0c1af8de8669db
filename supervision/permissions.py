"""Who may see and do what in supervision, decided once (built on directory.permissions).

- Center staff see every target, plan and visit, and read confidential notes.
- Health-office staff see the targets of their district: its municipalities, the district
  itself and the organizations located in it; municipal staff only their own municipality.
  Neither ever reads confidential notes, and neither plans nor records visits: a visit to a
  target outside their scope is not found (404), one inside it is refused (403).
"""

from django.db.models import Q

from directory.permissions import Role, is_center_staff, role_of


def target_scope_q(user) -> Q | None:
    """The filter on Target for what the user may see; None means everything."""
    role = role_of(user)
    if role == Role.CENTER:
        return None
    if role == Role.HEALTH_OFFICE:
        return (
            Q(municipality__district_id=user.district_id)
            | Q(district_id=user.district_id)
            | Q(organization__municipality__district_id=user.district_id)
        )
    if role == Role.MUNICIPAL:
        return Q(municipality_id=user.municipality_id)
    return Q(pk__in=[])


def can_read_confidential_notes(user) -> bool:
    return is_center_staff(user)


def can_plan_visits(user) -> bool:
    """Set and revise plans, schedule visits and series of visits."""
    return is_center_staff(user)


def can_manage_visit(user, visit) -> bool:
    """Complete, cancel, postpone or edit one visit."""
    return is_center_staff(user)


def can_reopen_visit(user, visit) -> bool:
    """Undo 「実施済」 (with a reason kept in the visit's history)."""
    return is_center_staff(user)


def can_record_case_meeting(user) -> bool:
    return is_center_staff(user)


def can_plan_liaison_meetings(user) -> bool:
    return is_center_staff(user)


def can_manage_dispatches(user) -> bool:
    return is_center_staff(user)
