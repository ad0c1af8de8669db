"""Who may see and do what, decided once. Every other app builds on these questions.

Roles (``User.role``):

- center staff (地域支援センター職員) and superusers see and change everything of the program;
- health-office staff (福祉保健所) see their district and its municipalities;
- municipal staff (市町村) see what concerns their own municipality and change nothing of others;
- anyone else who is logged in (the outsider) sees nothing: every staff page and endpoint
  answers 404 to them, so they do not even learn what exists.
"""

from directory.models import Municipality, User, role_of

Role = User.Role

__all__ = ["Role", "has_role", "is_center_staff", "municipality_ids_in_scope", "role_of"]


def has_role(user) -> bool:
    return role_of(user) is not None


def is_center_staff(user) -> bool:
    return role_of(user) == Role.CENTER


def municipality_ids_in_scope(user) -> set[int] | None:
    """The municipalities whose affairs the user may see; None means all of them."""
    role = role_of(user)
    if role == Role.CENTER:
        return None
    if role == Role.HEALTH_OFFICE:
        return set(
            Municipality.objects.filter(district_id=user.district_id).values_list("id", flat=True)
        )
    if role == Role.MUNICIPAL:
        return {user.municipality_id}
    return set()


def can_change_directory(user) -> bool:
    """Only center staff edit blocks, districts, municipalities and organizations."""
    return is_center_staff(user)


def can_see_contacts_of_municipality(user, municipality: Municipality) -> bool:
    scope = municipality_ids_in_scope(user)
    return scope is None or municipality.id in scope
