"""Who may see and do what with rosters (see directory.permissions for the roles).

- Names on a roster are personal data: only center staff see rosters, record attendance, import
  online reports, export, print sign-in sheets and issue certificates.
- Every staff role sees counts; health-office and municipal staff only the counts of people
  from their own municipalities (``count_scope``), never anyone's name.
"""

from directory.permissions import has_role, is_center_staff, municipality_ids_in_scope


def can_see_roster(user, event) -> bool:
    return is_center_staff(user)


def can_record_attendance(user, event) -> bool:
    return is_center_staff(user)


def can_close_roster(user, event) -> bool:
    return is_center_staff(user)


def can_issue_certificate(user, entry) -> bool:
    return is_center_staff(user)


def can_see_counts(user) -> bool:
    return has_role(user)


def count_scope(user) -> set[int] | None:
    """The municipalities whose attendees the user may count; None means everyone."""
    return municipality_ids_in_scope(user)
