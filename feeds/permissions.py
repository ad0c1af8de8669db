"""Who may issue and revoke calendar links (built on directory.permissions).

- Center staff issue and revoke any link.
- Health-office staff issue links for their district's municipalities, for their whole district
  (one link: what those municipalities' links would show) and their own staff link. Not for a block: a block feed carries the visits of every municipality in the block,
  also those outside their district, which they may not see (center staff issue those).
- Municipal staff issue links for their own municipality only.
- Anyone may revoke a link they issued; the others they may see (``visible_to``) they may
  revoke when they could have issued them.
"""

from directory.models import Block, District, Municipality, User
from directory.permissions import Role, municipality_ids_in_scope, role_of


def can_issue_subscription(user, target) -> bool:
    """May the user issue a link to the feed of this municipality, district, block or staff
    member?"""
    role = role_of(user)
    if role is None:
        return False
    if role == Role.CENTER:
        return True
    scope = municipality_ids_in_scope(user)
    if isinstance(target, Municipality):
        return target.id in scope
    if isinstance(target, District):
        return role == Role.HEALTH_OFFICE and target.pk == user.district_id
    if isinstance(target, Block):
        return False
    if isinstance(target, User):
        return role == Role.HEALTH_OFFICE and target.pk == user.pk
    return False


def can_revoke_subscription(user, subscription) -> bool:
    if role_of(user) is None:
        return False
    if role_of(user) == Role.CENTER or subscription.created_by_id == user.pk:
        return True
    target = subscription.target
    return not isinstance(target, str) and can_issue_subscription(user, target)
