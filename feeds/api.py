"""Calendar links for scripts: issue (201 with both URLs) and revoke."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from ninja import Router, Schema
from ninja.responses import Status

from core.inputs import Choice, Id, InputSchema, column
from directory.auth import staff_auth
from feeds import services
from feeds.models import Subscription, feed_urls
from feeds.permissions import can_issue_subscription, can_revoke_subscription

router = Router(auth=staff_auth, tags=["feeds"])


class SubscriptionIn(InputSchema):
    kind: Choice([(str(kind.value), "") for kind in services.STAFF_KINDS])
    target_id: Id
    label: column(
        Subscription,
        "label",
        required=True,
        blank_message=gettext_lazy("Say who will use this link."),
    )


class SubscriptionOut(Schema):
    id: int
    kind: str
    label: str
    https_url: str
    webcal_url: str


@router.post("/subscriptions", response={201: SubscriptionOut})
def issue_subscription(request, payload: SubscriptionIn):
    """Issue a secret link to the feed of a municipality, health-office district, block or
    staff member. The URLs are shown this once: only a hash of the token is stored."""
    target = services.resolve_target(kind=payload.kind, target_id=payload.target_id)
    if not can_issue_subscription(request.auth, target):
        raise PermissionDenied
    subscription, raw = services.issue_subscription(
        target=target, label=payload.label, issued_by=request.auth
    )
    https_url, webcal_url = feed_urls(raw)
    return Status(
        201,
        {
            "id": subscription.pk,
            "kind": subscription.kind,
            "label": subscription.label,
            "https_url": https_url,
            "webcal_url": webcal_url,
        },
    )


@router.delete("/subscriptions/{subscription_id}", response={204: None})
def revoke_subscription(request, subscription_id: Id):
    """Revoke a link: it answers 404 from the next request on."""
    subscription = get_object_or_404(
        Subscription.objects.visible_to(request.auth), pk=subscription_id
    )
    if not can_revoke_subscription(request.auth, subscription):
        raise PermissionDenied
    services.revoke_subscription(subscription=subscription, revoked_by=request.auth)
    return Status(204, None)
