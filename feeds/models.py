"""Calendar subscriptions: one secret link to one feed scope (a municipality, a health office's
district, a block, a staff member or a registrant's email address), with who uses it, who issued it and how often calendar
apps fetch it. The public training calendar needs no subscription.

Only the SHA-256 of a link's token is stored; the token itself (256 random bits) is shown once,
when the link is issued. A revoked link answers 404 from the next request on."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.inputs import BoundedRow
from core.tokens import hash_token
from core.vocabulary import words
from directory.models import Block, District, Municipality
from directory.permissions import Role, municipality_ids_in_scope, role_of


def feed_urls(raw_token: str) -> tuple[str, str]:
    """The link as calendar apps take it: (``https://…`` or whatever SITE_URL says, ``webcal://…``)."""
    url = settings.SITE_URL + reverse("feeds:subscription_feed", args=[raw_token])
    return url, "webcal://" + url.split("://", 1)[1]


class SubscriptionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def live(self):
        """Active links that answer: a staff member's own link dies with the person's account
        or role (deactivated, or no role any more). Links of a municipality or a block outlive
        whoever issued them (``issuer_gone`` lists them for review)."""
        person_gone = Q(user__is_active=False) | (Q(user__role="") & Q(user__is_superuser=False))
        return self.active().exclude(Q(kind=Subscription.Kind.STAFF) & person_gone)

    def for_token(self, raw: str):
        return self.filter(token_hash=hash_token(raw))

    def visible_to(self, user):
        """Center staff see every link; health-office staff the links of their district, of its
        municipalities, of the blocks those lie in, and their own; municipal staff their own
        municipality's and their own. Registrant links are center staff's only."""
        role = role_of(user)
        if role == Role.CENTER:
            return self
        if role is None:
            return self.none()
        municipalities = municipality_ids_in_scope(user)
        blocks = Municipality.objects.filter(id__in=municipalities).values("block_id")
        scope = (
            Q(kind=Subscription.Kind.MUNICIPALITY, municipality_id__in=municipalities)
            | Q(kind=Subscription.Kind.STAFF, user_id=user.id)
            | Q(created_by_id=user.id)
        )
        if role == Role.HEALTH_OFFICE:
            scope |= Q(kind=Subscription.Kind.BLOCK, block_id__in=blocks)
            scope |= Q(kind=Subscription.Kind.DISTRICT, district_id=user.district_id)
        return self.filter(scope).exclude(kind=Subscription.Kind.REGISTRANT)


class Subscription(BoundedRow, models.Model):
    """One secret calendar link to one feed scope."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        BLOCK = "block", _("block")
        DISTRICT = "district", words(_("health office's district"))
        STAFF = "staff", _("staff member")
        REGISTRANT = "registrant", _("registrant")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    block = models.ForeignKey(
        Block,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("block"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=words(_("health office's district")),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_subscriptions",
        verbose_name=_("staff member"),
    )
    registrant_email = models.EmailField(_("registrant's email"), blank=True)
    label = models.CharField(
        _("label"),
        max_length=100,
        help_text=_("Who uses this link, e.g. 保健福祉課 共有カレンダー"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    last_accessed_at = models.DateTimeField(
        _("last fetched at"), null=True, blank=True, editable=False
    )
    access_count = models.PositiveIntegerField(_("fetches"), default=0, editable=False)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")
        constraints = [
            models.CheckConstraint(
                name="subscription_target_matches_kind",
                condition=(
                    Q(
                        kind="municipality",
                        municipality__isnull=False,
                        block__isnull=True,
                        district__isnull=True,
                        user__isnull=True,
                        registrant_email="",
                    )
                    | Q(
                        kind="district",
                        municipality__isnull=True,
                        block__isnull=True,
                        district__isnull=False,
                        user__isnull=True,
                        registrant_email="",
                    )
                    | Q(
                        kind="block",
                        municipality__isnull=True,
                        block__isnull=False,
                        district__isnull=True,
                        user__isnull=True,
                        registrant_email="",
                    )
                    | Q(
                        kind="staff",
                        municipality__isnull=True,
                        block__isnull=True,
                        district__isnull=True,
                        user__isnull=False,
                        registrant_email="",
                    )
                    | (
                        Q(
                            kind="registrant",
                            municipality__isnull=True,
                            block__isnull=True,
                            district__isnull=True,
                            user__isnull=True,
                        )
                        & ~Q(registrant_email="")
                    )
                ),
            )
        ]

    def __str__(self):
        return f"{self.target_name} / {self.label}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def target(self):
        return (
            self.municipality or self.district or self.block or self.user or self.registrant_email
        )

    @property
    def target_name(self) -> str:
        return str(self.target)

    @staticmethod
    def _gone(person) -> bool:
        return person is None or not person.is_active or not (person.role or person.is_superuser)

    @property
    def person_gone(self) -> bool:
        """A staff member's link whose person is deactivated or has no role: it answers 404."""
        return self.kind == self.Kind.STAFF and self._gone(self.user)

    @property
    def issuer_gone(self) -> bool:
        """A municipality, district or block link whose issuer is deactivated, has no role or was
        deleted: it keeps working, and center staff see it marked 「発行者が無効」 to review."""
        return self.kind in (
            self.Kind.MUNICIPALITY,
            self.Kind.DISTRICT,
            self.Kind.BLOCK,
        ) and self._gone(self.created_by)
