"""Issuing and revoking calendar links."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.tokens import hash_token, new_token
from core.vocabulary import fill
from directory.models import Block, District, Municipality, User
from directory.permissions import has_role
from feeds import links
from feeds.models import Subscription

STAFF_KINDS = (
    Subscription.Kind.MUNICIPALITY,
    Subscription.Kind.DISTRICT,
    Subscription.Kind.BLOCK,
    Subscription.Kind.STAFF,
)
# What the audit trail keeps of a new link (never its token or the token's hash).
AUDIT_FIELDS = ("kind", "label", "municipality", "district", "block", "user", "registrant_email")

audit.register_actions(
    {
        "feeds.subscription.created": gettext_lazy("Issued the calendar link"),
        "feeds.subscription.revoked": gettext_lazy("Revoked the calendar link"),
    }
)


def resolve_target(*, kind: str, target_id) -> Municipality | District | Block | User:
    """The municipality, district, block or staff member a link is asked for. Raises
    ValidationError on the field that is wrong."""
    if kind not in STAFF_KINDS:
        raise ValidationError({"kind": fill(_("Choose municipality, district, block or staff."))})
    model = {
        "municipality": Municipality,
        "district": District,
        "block": Block,
        "staff": User,
    }[kind]
    try:
        target = model.objects.filter(pk=int(target_id)).first()
    except (TypeError, ValueError):
        target = None
    if target is None or (kind == Subscription.Kind.STAFF and not has_role(target)):
        raise ValidationError({"target_id": _("There is no such %(kind)s.") % {"kind": kind}})
    return target


def _clean_label(label: str) -> str:
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": _("Say who will use this link.")})
    if len(label) > 100:
        raise ValidationError({"label": _("At most 100 characters.")})
    return label


@transaction.atomic
def issue_subscription(
    *, target: Municipality | District | Block | User, label: str, issued_by: User
) -> tuple[Subscription, str]:
    """Create a secret link to the feed of a municipality, district, block or staff member.
    Returns the row and the raw token, which is shown once and never stored."""
    label = _clean_label(label)
    raw = new_token()
    fields = {
        Municipality: {"kind": Subscription.Kind.MUNICIPALITY, "municipality": target},
        District: {"kind": Subscription.Kind.DISTRICT, "district": target},
        Block: {"kind": Subscription.Kind.BLOCK, "block": target},
        User: {"kind": Subscription.Kind.STAFF, "user": target},
    }[type(target)]
    subscription = Subscription.objects.create(
        **fields, label=label, token_hash=hash_token(raw), created_by=issued_by
    )
    changes = audit.diff({}, audit.snapshot(subscription, AUDIT_FIELDS))
    audit.record(subscription, "feeds.subscription.created", by=issued_by, changes=changes)
    return subscription, raw


@transaction.atomic
def issue_registrant_subscription(*, email: str, label: str) -> tuple[Subscription, str]:
    """Create a secret link to the feed of every registration made with this address (the
    caller has checked that the person holds a management link for it)."""
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError(
            {"email": _("This registration has no email address, so it has no calendar.")}
        )
    raw = new_token()
    subscription = Subscription.objects.create(
        kind=Subscription.Kind.REGISTRANT,
        registrant_email=email,
        label=_clean_label(label),
        token_hash=hash_token(raw),
    )
    changes = audit.diff({}, audit.snapshot(subscription, AUDIT_FIELDS))
    audit.record(subscription, "feeds.subscription.created", by=audit.PUBLIC, changes=changes)
    return subscription, raw


@transaction.atomic
def revoke_subscription(*, subscription: Subscription, revoked_by: User | None) -> Subscription:
    """Revoke a link: from the next request on it answers 404. Revoking twice changes nothing.
    ``revoked_by`` None: the registrant revoked their own link through their management page."""
    revoked = Subscription.objects.filter(pk=subscription.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=revoked_by
    )
    subscription.refresh_from_db()
    links.forget(subscription.token_hash)
    if revoked:
        audit.record(
            subscription,
            "feeds.subscription.revoked",
            by=revoked_by if revoked_by is not None else audit.PUBLIC,
            changes={"revoked_at": [None, subscription.revoked_at]},
        )
    return subscription
