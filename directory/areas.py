"""Setting up a prefecture: its municipalities from the official list (``directory.sources``),
its own districts (保健所・福祉保健所の管内) and blocks from a page or a small CSV.

Both services are atomic and idempotent: running them again with the same input changes
nothing. They also run inside migrations (pass the migration's ``apps``); then the followers
registered by other apps (supervision's targets) are not called, their own migrations do that.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _

from directory import sources

# --- followers: apps above directory that keep a row per directory row ---------------------

_after_change: list[Callable[[], None]] = []
_owned_models: set[str] = set()


def register_follower(*, after_change: Callable[[], None], owns: tuple[str, ...] = ()) -> None:
    """Called from an app's ``ready()``: ``after_change`` runs after the directory changed
    (supervision creates the missing targets); rows of the models in ``owns`` ("app.Model")
    that only mirror a directory row may be removed with it."""
    if after_change not in _after_change:
        _after_change.append(after_change)
    _owned_models.update(label.lower() for label in owns)


def notify_followers(apps) -> None:
    if apps is None:
        for follower in _after_change:
            follower()


def directory_models(apps):
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    return (
        apps.get_model("directory", "Block"),
        apps.get_model("directory", "District"),
        apps.get_model("directory", "Municipality"),
        apps.get_model("directory", "PartnerOrganization"),
    )


# --- setup_prefecture --------------------------------------------------------------------


@dataclass
class SetupResult:
    prefecture: sources.SourcePrefecture
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.retired or self.removed)


def resolve_prefecture(value: str) -> sources.SourcePrefecture:
    prefecture = sources.find_prefecture(value)
    if prefecture is None:
        raise ValidationError(
            {"prefecture": _("Unknown prefecture: %(value)s.") % {"value": value}}
        )
    return prefecture


SOURCE_FIELDS = ("name", "kana", "kind", "latitude", "longitude")


@transaction.atomic
def setup_prefecture(*, prefecture: str, apps=None) -> SetupResult:
    """Load the prefecture's municipalities (by name or code: 徳島県, 36, 360007), matched by
    their code: a municipality the list renames keeps its row and so its history; one the list
    no longer holds (merged away) is kept, marked not current. A directory of another
    prefecture that nothing refers to yet (the default one) is replaced; one with plans,
    visits, contacts, users or other records is refused whole."""
    pref = resolve_prefecture(prefecture)
    Municipality = directory_models(apps)[2]
    result = SetupResult(prefecture=pref)
    number = pref.number

    others = Municipality.objects.exclude(code__startswith=number) | Municipality.objects.filter(
        code__isnull=True
    )
    if others.exists():
        result.removed = _remove_other_prefecture(apps, number)

    existing = {m.code: m for m in Municipality.objects.filter(code__startswith=number)}
    listed = set()
    for order, item in enumerate(sources.municipalities_of(pref)):
        listed.add(item.code)
        row = existing.get(item.code)
        values = {name: getattr(item, name) for name in SOURCE_FIELDS}
        values.update(order=order, is_current=True)
        if row is None:
            Municipality.objects.create(code=item.code, **values)
            result.created.append(item.name)
            continue
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        if changed:
            for name in changed:
                setattr(row, name, values[name])
            row.save(update_fields=changed)
            result.updated.append(item.name)
    for code, row in existing.items():
        if code not in listed and row.is_current:
            row.is_current = False
            row.save(update_fields=["is_current"])
            result.retired.append(row.name)
    notify_followers(apps)
    return result


def _remove_other_prefecture(apps, number: str) -> int:
    """Delete the directory of another prefecture while nothing but its own rows and the
    followers' mirror rows refer to it; otherwise refuse (nothing is deleted)."""
    if apps is not None:
        raise ValidationError(_("A migration cannot replace another prefecture's directory."))
    Block, District, Municipality, Organization = directory_models(apps)
    municipalities = Municipality.objects.exclude(code__startswith=number) | (
        Municipality.objects.filter(code__isnull=True)
    )
    keep = Municipality.objects.filter(code__startswith=number)
    groups = [
        Organization.objects.filter(municipality__in=municipalities),
        municipalities,
        District.objects.exclude(municipalities__in=keep),
        Block.objects.exclude(municipalities__in=keep).exclude(districts__municipalities__in=keep),
    ]
    allowed = {
        "directory.block",
        "directory.district",
        "directory.municipality",
        "directory.partnerorganization",
        *_owned_models,
    }
    count = municipalities.count()
    for queryset in groups:  # in this order: each protects the next
        collector = Collector(using=router.db_for_write(queryset.model))
        try:
            collector.collect(list(queryset.distinct()))
        except (ProtectedError, RestrictedError) as error:
            raise _in_use(count, {obj._meta.verbose_name for obj in error.args[1]}) from error
        found = {
            model._meta.label_lower: model._meta.verbose_name
            for model, rows in collector.data.items()
            if rows
        }
        for related in collector.fast_deletes:
            if related.exists():
                found[related.model._meta.label_lower] = related.model._meta.verbose_name
        extra = {name for label, name in found.items() if label not in allowed}
        if extra:
            raise _in_use(count, extra)
        collector.delete()
    return count


def _in_use(count: int, what: set) -> ValidationError:
    return ValidationError(
        {
            "prefecture": _(
                "The directory holds %(count)d municipalities of another prefecture with "
                "records attached (%(what)s); nothing was changed."
            )
            % {"count": count, "what": "、".join(sorted(str(name) for name in what))}
        }
    )


# --- district names ---------------------------------------------------------------------

SUFFIXES = ("福祉保健所", "保健所")


def district_names(office_name: str) -> tuple[str, str]:
    """徳島保健所 → (徳島, 徳島保健所); 幡多福祉保健所 → (幡多, 幡多福祉保健所)."""
    for suffix in SUFFIXES:
        if office_name.endswith(suffix) and len(office_name) > len(suffix):
            return office_name[: -len(suffix)], office_name
    return office_name, office_name


def district_kind(office_name: str, municipality_names: set[str]) -> str:
    if office_name.endswith("福祉保健所"):
        return "welfare_health_office"
    if any(office_name.startswith(name) for name in municipality_names if name.endswith("市")):
        return "city_health_center"
    return "health_center"


# --- the page: districts and blocks by hand ----------------------------------------------


@transaction.atomic
def define_block(*, name: str, by=None):
    """A new block; a name that exists already is refused (nothing is added)."""
    from core import audit

    Block = directory_models(None)[0]
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the block a name.")})
    if Block.objects.filter(name=name).exists():
        raise ValidationError({"name": _("That block exists already.")})
    order = max(Block.objects.values_list("order", flat=True), default=-1) + 1
    block = Block.objects.create(name=name, order=order)
    audit.record(block, "directory.block.created", by=by)
    notify_followers(None)
    return block


@transaction.atomic
def define_district(*, office_name: str, kind: str = "", block=None, by=None):
    """A new district named after its office (徳島保健所 → 徳島, 徳島保健所管内)."""
    from core import audit

    District = directory_models(None)[1]
    office_name = (office_name or "").strip()
    if not office_name:
        raise ValidationError({"office_name": _("Give the office's name.")})
    if District.objects.filter(office_name=office_name).exists():
        raise ValidationError({"office_name": _("That district exists already.")})
    name, office = district_names(office_name)
    if District.objects.filter(name=name).exists():
        name = office
    order = max(District.objects.values_list("order", flat=True), default=-1) + 1
    district = District.objects.create(
        name=name,
        office_name=office,
        kind=kind or district_kind(office, set()),
        block=block,
        order=order,
    )
    audit.record(district, "directory.district.created", by=by)
    notify_followers(None)
    return district


@transaction.atomic
def assign_areas(*, municipality_districts: dict, district_blocks: dict, by=None) -> int:
    """Put municipalities in districts ({municipality id: district id or None}) and districts
    in blocks ({district id: block id or None}); a municipality follows its district's block.
    Returns how many rows changed; each change is in the audit trail."""
    from core import audit

    Block, District, Municipality, _Organization = directory_models(None)
    districts = {d.pk: d for d in District.objects.select_for_update()}
    blocks = set(Block.objects.values_list("pk", flat=True))
    changed = 0
    for district_id, block_id in district_blocks.items():
        district = districts.get(district_id)
        if district is None or (block_id is not None and block_id not in blocks):
            raise ValidationError(_("Unknown district or block."))
        if district.block_id != block_id:
            audit.record(
                district,
                "directory.district.changed",
                by=by,
                changes={"block": [district.block_id, block_id]},
            )
            district.block_id = block_id
            district.save(update_fields=["block"])
            changed += 1
    rows = Municipality.objects.select_for_update().filter(pk__in=list(municipality_districts))
    for municipality in rows:
        district_id = municipality_districts[municipality.pk]
        if district_id is not None and district_id not in districts:
            raise ValidationError(_("Unknown district or block."))
        block_id = districts[district_id].block_id if district_id else None
        block_id = block_id or (municipality.block_id if district_id else None)
        if (municipality.district_id, municipality.block_id) != (district_id, block_id):
            audit.record(
                municipality,
                "directory.municipality.changed",
                by=by,
                changes={
                    "district": [municipality.district_id, district_id],
                    "block": [municipality.block_id, block_id],
                },
            )
            municipality.district_id, municipality.block_id = district_id, block_id
            municipality.save(update_fields=["district", "block"])
            changed += 1
    # Municipalities follow their district's block.
    for district in districts.values():
        if district.block_id:
            for municipality in Municipality.objects.filter(district=district).exclude(
                block_id=district.block_id
            ):
                municipality.block_id = district.block_id
                municipality.save(update_fields=["block"])
                changed += 1
    notify_followers(None)
    return changed
