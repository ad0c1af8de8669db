"""The regional directory: blocks, health-office districts, municipalities, partner
organizations and their contact persons, and the people who log in with their role."""

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.inputs import BoundedRow
from core.vocabulary import words


class DirectoryQuerySet(models.QuerySet):
    """Blocks, districts, municipalities and organizations are public facts: every staff role
    sees all of them; a user without a role (the outsider) sees none."""

    def visible_to(self, user):
        return self if role_of(user) is not None else self.none()


class Block(BoundedRow, models.Model):
    """A block of the prefecture (西部・中央・東部) that holds its own liaison meetings."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    kana = models.CharField(_("reading"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = DirectoryQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")

    def __str__(self):
        return self.name


class District(BoundedRow, models.Model):
    """The area of one health office (保健所・福祉保健所), or a city's own public health
    center. Each prefecture defines its own (a page or a CSV, ``directory.areas``)."""

    class Kind(models.TextChoices):
        WELFARE_HEALTH_OFFICE = "welfare_health_office", _("welfare and health office")
        CITY_HEALTH_CENTER = "city_health_center", _("city public health center")
        HEALTH_CENTER = "health_center", _("public health center")

    name = models.CharField(_("name"), max_length=50, unique=True)
    kana = models.CharField(_("reading"), max_length=100, blank=True)
    office_name = models.CharField(_("office name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    block = models.ForeignKey(
        Block,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="districts",
        verbose_name=_("block"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = DirectoryQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self):
        return self.office_name

    @property
    def area_name(self) -> str:
        """The district as a place, as the seed writes it: 幡多福祉保健所管内."""
        return f"{self.office_name}管内"


class MunicipalityQuerySet(DirectoryQuerySet):
    def current(self):
        """Those in the current official list (the ones a goal counts)."""
        return self.filter(is_current=True)


class Municipality(BoundedRow, models.Model):
    """One of the prefecture's cities, towns, villages and (Tokyo) special wards, loaded from
    the official list by ``manage.py setup_prefecture`` and matched by its code, so a renamed
    municipality keeps its history. One the list no longer holds (merged) is kept with its
    history and marked not current."""

    class Kind(models.TextChoices):
        CITY = "city", _("city")
        TOWN = "town", _("town")
        VILLAGE = "village", _("village")
        SPECIAL_WARD = "special_ward", _("special ward")

    code = models.CharField(
        _("local government code"),
        max_length=6,
        unique=True,
        null=True,
        help_text=_("The national local government code: 6 digits with the check digit."),
    )
    name = models.CharField(_("name"), max_length=50)
    kana = models.CharField(_("reading"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    is_current = models.BooleanField(
        _("in the current official list"),
        default=True,
        help_text=_("Off for a municipality merged away: it keeps its plans and visits."),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        verbose_name=_("district"),
    )
    block = models.ForeignKey(
        Block,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        verbose_name=_("block"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name


class PartnerOrganization(BoundedRow, models.Model):
    """An organization the center works with and may visit (若者サポートステーション, ...)."""

    class Kind(models.TextChoices):
        PEER_SUPPORT = "peer_support", _("peer support center")
        YOUTH_SUPPORT_STATION = "youth_support_station", _("youth support station")
        EMPLOYMENT_SUPPORT = "employment_support", _("employment support center")
        FAMILY_ASSOCIATION = "family_association", _("family association")
        COMMUNITY_CENTER = "community_center", _("community center (attaka fureai)")
        SOCIAL_WELFARE_COUNCIL = "social_welfare_council", _("social welfare council")
        MEDICAL = "medical", _("medical institution")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kana = models.CharField(_("reading"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("location"),
    )

    objects = DirectoryQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("partner organization")
        verbose_name_plural = _("partner organizations")

    def __str__(self):
        return self.name


class ContactQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Center staff see every contact; health-office staff those of their district and its
        municipalities; municipal staff their own municipality's; everyone else none."""
        role = role_of(user)
        if role == User.Role.CENTER:
            return self
        if role == User.Role.HEALTH_OFFICE:
            return self.filter(
                Q(district_id=user.district_id) | Q(municipality__district_id=user.district_id)
            )
        if role == User.Role.MUNICIPAL:
            return self.filter(municipality_id=user.municipality_id)
        return self.none()


class Contact(BoundedRow, models.Model):
    """A contact person (担当者) of exactly one municipality, district or partner organization,
    whom later features notify."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    organization = models.ForeignKey(
        PartnerOrganization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
    )
    department = models.CharField(_("department"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    receives_notifications = models.BooleanField(_("receives notifications"), default=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        constraints = [
            models.CheckConstraint(
                name="contact_belongs_to_exactly_one",
                condition=(
                    Q(municipality__isnull=False, district__isnull=True, organization__isnull=True)
                    | Q(
                        municipality__isnull=True, district__isnull=False, organization__isnull=True
                    )
                    | Q(
                        municipality__isnull=True, district__isnull=True, organization__isnull=False
                    )
                ),
            )
        ]

    def __str__(self):
        return f"{self.owner} {self.department} {self.name}".strip()

    @property
    def owner(self):
        return self.municipality or self.district or self.organization

    def clean(self):
        owners = [self.municipality_id, self.district_id, self.organization_id]
        if sum(owner is not None for owner in owners) != 1:
            raise ValidationError(
                _("A contact belongs to exactly one municipality, district or organization.")
            )


# The sections of the fiscal-year report, by key, and how the report prints them unless the
# center's profile names them otherwise.
# The report's four sections in the seed's order are direct_support, regional_support, training
# and awareness; the other keys name their subsections.
REPORT_SECTIONS = {
    "direct_support": "直接支援",
    "consultation": "相談支援（所内相談）",
    "ibasho": "居場所づくり支援",
    "social_experience": "社会体験事業",
    "training": "人材養成（研修等）",
    "training_course": "ひきこもり支援者人材養成研修（主催）",
    "regional_support": "地域支援",
    "liaison": "ひきこもり支援者連絡会議",
    "partner_support": "関係機関支援",
    "dispatch": "講師派遣",
    "awareness": "普及啓発（その他）",
    "awareness_events": "ひきこもりに関する普及啓発",
    "technical_support": "普及啓発・技術支援",
}


class CenterProfile(BoundedRow, models.Model):
    """The center this installation serves (one row): its prefecture, name and contacts as
    pages, emails, PDFs, feeds and the report print them (through ``core.center.current()``).
    Center staff edit it at ``/account/center/`` and in the admin."""

    SINGLETON_ID = 1

    prefecture = models.CharField(_("prefecture"), max_length=10, blank=True)
    prefecture_code = models.CharField(_("prefecture code"), max_length=6, blank=True)
    name = models.CharField(_("name of the center"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    fax = models.CharField(_("FAX"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    sections = models.JSONField(
        _("section names in the report"),
        default=dict,
        blank=True,
        help_text=_("By key: direct_support, regional_support, training, awareness, ..."),
    )
    # None: not chosen; the installation's default decides (on unless DEBUG; mfa.policy).
    require_second_factor = models.BooleanField(
        _("second factor for staff"), null=True, blank=True, default=None
    )
    # The prefecture's own words (domain guide): the defaults fit any prefecture.
    health_office_name = models.CharField(
        _("name of the health offices"),
        max_length=20,
        default="保健所",
        help_text=_("As the prefecture calls them: 保健所, 保健福祉事務所, 振興局, ..."),
    )
    affiliations = models.JSONField(
        _("affiliation kinds offered on forms"),
        default=list,
        blank=True,
        help_text=_("In order, [kind, label] pairs; empty: the usual kinds."),
    )
    own_affiliations = models.JSONField(
        _("affiliation kinds of the center's own"),
        default=list,
        blank=True,
        help_text=_(
            "[key, label] pairs of every kind the center added, also those no longer offered."
        ),
    )
    goal_fiscal_year = models.PositiveSmallIntegerField(
        _("case-meeting goal: fiscal year"), null=True, blank=True
    )
    goal_share = models.PositiveSmallIntegerField(
        _("case-meeting goal: share of municipalities (%)"), default=100
    )
    goal_wording = models.CharField(_("case-meeting goal: wording"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("center profile")
        verbose_name_plural = _("center profile")
        constraints = [
            models.CheckConstraint(name="center_profile_single_row", condition=Q(id=1)),
            models.CheckConstraint(
                name="center_profile_goal_share",
                condition=Q(goal_share__gte=1, goal_share__lte=100),
            ),
            models.CheckConstraint(
                name="center_profile_goal_year",
                condition=Q(goal_fiscal_year__isnull=True)
                | Q(goal_fiscal_year__gte=2000, goal_fiscal_year__lte=2100),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_ID
        super().save(*args, **kwargs)

    def section_names(self) -> dict:
        """The report sections this center names its own way (the others keep the default)."""
        own = self.sections if isinstance(self.sections, dict) else {}
        return {key: own[key] for key in REPORT_SECTIONS if own.get(key)}

    def affiliation_pairs(self) -> list[tuple[str, str]]:
        """The stored [kind, label] pairs that are well formed (label may be empty: the
        kind's usual label), without repeats."""
        pairs, seen = [], set()
        for item in self.affiliations if isinstance(self.affiliations, list) else []:
            if isinstance(item, (list, tuple)) and len(item) == 2 and item[0] not in seen:
                kind, label = item
                if isinstance(kind, str) and isinstance(label, str) and kind.strip():
                    pairs.append((kind.strip(), label.strip()))
                    if kind.strip() not in ("+", "＋"):  # new kinds (core.vocabulary) repeat
                        seen.add(kind.strip())
        return pairs

    def own_affiliation_pairs(self) -> list[tuple[str, str]]:
        """The center's own kinds ([key, label]) that are well formed."""
        value = self.own_affiliations if isinstance(self.own_affiliations, list) else []
        return [
            (item[0], item[1])
            for item in value
            if isinstance(item, (list, tuple))
            and len(item) == 2
            and all(isinstance(part, str) and part for part in item)
        ]


def role_of(user) -> str | None:
    """The effective role of anyone who makes a request (``User.effective_role``; None for an
    anonymous visitor)."""
    return getattr(user, "effective_role", None)


class UserQuerySet(models.QuerySet):
    def center_staff(self):
        """Active center staff, superusers included (who count as center staff)."""
        return self.filter(Q(role=User.Role.CENTER) | Q(is_superuser=True), is_active=True)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who logs in. The role decides what they see (directory.permissions):
    ``effective_role`` (superusers count as center staff; None for an inactive user or one
    without a role, the outsider), ``is_center_staff``, ``has_staff_role``, and
    ``User.objects.center_staff()``."""

    class Role(models.TextChoices):
        CENTER = "center", _("regional support center staff")
        HEALTH_OFFICE = "health_office", words(_("health office staff"))
        MUNICIPAL = "municipal", _("municipal staff")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("district (health office staff)"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("municipality (municipal staff)"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_scope_matches_role",
                condition=(
                    Q(role="health_office", district__isnull=False, municipality__isnull=True)
                    | Q(role="municipal", municipality__isnull=False, district__isnull=True)
                    | (
                        ~Q(role__in=["health_office", "municipal"])
                        & Q(district__isnull=True, municipality__isnull=True)
                    )
                ),
            )
        ]

    objects = UserManager()

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def effective_role(self) -> str | None:
        if not self.is_active:
            return None
        if self.is_superuser:
            return self.Role.CENTER
        return self.role or None

    @property
    def is_center_staff(self) -> bool:
        return self.effective_role == self.Role.CENTER

    @property
    def has_staff_role(self) -> bool:
        return self.effective_role is not None

    def get_full_name(self):
        """Family name first, as Japanese names are written."""
        return f"{self.last_name} {self.first_name}".strip()

    def clean(self):
        super().clean()
        if self.role == self.Role.HEALTH_OFFICE and (not self.district_id or self.municipality_id):
            raise ValidationError(
                {"district": words(_("Health office staff belong to one district."))}
            )
        if self.role == self.Role.MUNICIPAL and (not self.municipality_id or self.district_id):
            raise ValidationError(
                {"municipality": _("Municipal staff belong to one municipality.")}
            )
        if self.role not in (self.Role.HEALTH_OFFICE, self.Role.MUNICIPAL) and (
            self.district_id or self.municipality_id
        ):
            raise ValidationError(words(_("Only health office and municipal staff have a scope.")))


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(BoundedRow, models.Model):
    """A personal API token for scripts. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    label = models.CharField(_("label"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.user} / {self.label}"
