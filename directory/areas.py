"""Setting up a prefecture: its municipalities from the official list (``directory.sources``),
its own districts (保健所・福祉保健所の管内) and blocks from a page or a small CSV.

Both services are atomic and idempotent: running them again with the same input changes
nothing. They also run inside migrations (pass the migration's ``apps``); then the followers
registered by other apps (supervision's targets) are not called, their own migrations do that.
"""

import csv
import io
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


def _changed(apps) -> None:
    if apps is None:
        for follower in _after_change:
            follower()


def _models(apps):
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
    Municipality = _models(apps)[2]
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
    _changed(apps)
    return result


def _remove_other_prefecture(apps, number: str) -> int:
    """Delete the directory of another prefecture while nothing but its own rows and the
    followers' mirror rows refer to it; otherwise refuse (nothing is deleted)."""
    if apps is not None:
        raise ValidationError(_("A migration cannot replace another prefecture's directory."))
    Block, District, Municipality, Organization = _models(apps)
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


# --- districts and blocks ----------------------------------------------------------------

DISTRICTS_HEADER = ["district", "municipality_code"]
BLOCKS_HEADER = ["block", "district"]
SUFFIXES = ("福祉保健所", "保健所")


@dataclass
class ImportResult:
    districts_created: list[str] = field(default_factory=list)
    blocks_created: list[str] = field(default_factory=list)
    changed: int = 0  # municipalities and districts whose district or block changed

    @property
    def changed_anything(self) -> bool:
        return bool(self.districts_created or self.blocks_created or self.changed)


def read_csv(data: bytes | str, header: list[str], *, label: str) -> list[tuple[int, list[str]]]:
    """The rows of a small CSV with the given header (UTF-8 with or without BOM, or
    Shift_JIS), as (line number, cells); blank lines are skipped."""
    if isinstance(data, bytes):
        for encoding in ("utf-8-sig", "cp932"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError(
                _("%(file)s: the file is not UTF-8 or Shift_JIS text.") % {"file": label}
            )
    else:
        text = data.lstrip("\ufeff")
    rows = [
        (number, [cell.strip() for cell in cells])
        for number, cells in enumerate(csv.reader(io.StringIO(text)), start=1)
        if any(cell.strip() for cell in cells)
    ]
    if not rows or [cell.lower() for cell in rows[0][1]] != header:
        raise ValidationError(
            _("%(file)s, line 1: the header must be “%(header)s”.")
            % {"file": label, "header": ",".join(header)}
        )
    errors = []
    for number, cells in rows[1:]:
        if len(cells) != len(header) or not all(cells):
            errors.append(
                _("%(file)s, line %(line)d: expected %(count)d values (%(header)s).")
                % {"file": label, "line": number, "count": len(header), "header": ",".join(header)}
            )
    if errors:
        raise ValidationError(errors)
    return rows[1:]


def district_names(office_name: str) -> tuple[str, str]:
    """徳島保健所 → (徳島, 徳島保健所); 幡多福祉保健所 → (幡多, 幡多福祉保健所)."""
    for suffix in SUFFIXES:
        if office_name.endswith(suffix) and len(office_name) > len(suffix):
            return office_name[: -len(suffix)], office_name
    return office_name, office_name


def _district_kind(office_name: str, municipality_names: set[str]) -> str:
    if office_name.endswith("福祉保健所"):
        return "welfare_health_office"
    if any(office_name.startswith(name) for name in municipality_names if name.endswith("市")):
        return "city_health_center"
    return "health_center"


def _find(rows, value):
    for row in rows:
        if value in (row.name, getattr(row, "office_name", None)):
            return row
    return None


@transaction.atomic
def import_areas(
    *,
    districts: bytes | str | None = None,
    blocks: bytes | str | None = None,
    apps=None,
) -> ImportResult:
    """Import the prefecture's districts (``district,municipality_code``: the office's name
    and each municipality's code, 5 or 6 digits) and blocks (``block,district``). Unknown
    districts and blocks are created; an unknown code or district stops the import, naming
    the line, and nothing is written. The same files again change nothing."""
    Block, District, Municipality, _Organization = _models(apps)
    result = ImportResult()
    errors = []
    municipalities = {m.code: m for m in Municipality.objects.exclude(code__isnull=True)}
    district_rows = list(District.objects.all())
    assignments = (
        _read_districts(districts, municipalities, errors) if districts is not None else []
    )
    block_rows = (
        _read_blocks(blocks, district_rows, assignments, errors) if blocks is not None else []
    )
    if errors:
        raise ValidationError(errors)
    _create_districts(District, district_rows, assignments, result)
    _assign_blocks(Block, district_rows, block_rows, result)
    for value, municipality in assignments:
        result.changed += _place(municipality, _find(district_rows, value))
    if block_rows:
        touched = {value for _b, value in block_rows}
        for district in district_rows:
            if district.name in touched or district.office_name in touched:
                for municipality in Municipality.objects.filter(district=district):
                    result.changed += _place(municipality, district)
    _changed(apps)
    return result


def _read_districts(districts, municipalities, errors) -> list[tuple[str, object]]:
    """The districts file as (district value, municipality) pairs; bad lines go to errors."""
    label, seen, assignments = _("districts file"), {}, []
    for number, (value, code) in read_csv(districts, DISTRICTS_HEADER, label=label):
        normalized = sources.normalize_code(code)
        municipality = municipalities.get(normalized) if normalized else None
        if municipality is None:
            errors.append(
                _("%(file)s, line %(line)d: unknown municipality code %(code)s.")
                % {"file": label, "line": number, "code": code}
            )
            continue
        if municipality.code in seen:
            errors.append(
                _("%(file)s, line %(line)d: %(name)s is already on line %(first)d.")
                % {"file": label, "line": number, "name": municipality.name,
                   "first": seen[municipality.code]}
            )  # fmt: skip
            continue
        seen[municipality.code] = number
        assignments.append((value, municipality))
    return assignments


def _read_blocks(blocks, district_rows, assignments, errors) -> list[tuple[str, str]]:
    """The blocks file as (block, district value) pairs; unknown districts go to errors."""
    label, block_rows = _("blocks file"), []
    named_in_file = {value for value, _m in assignments}
    for number, (block, value) in read_csv(blocks, BLOCKS_HEADER, label=label):
        if _find(district_rows, value) is None and value not in named_in_file:
            errors.append(
                _("%(file)s, line %(line)d: unknown district %(district)s.")
                % {"file": label, "line": number, "district": value}
            )
            continue
        block_rows.append((block, value))
    return block_rows


def _create_districts(District, district_rows, assignments, result) -> None:
    """Create the unknown districts, in the order they first appear."""
    members: dict[str, set[str]] = {}
    for value, municipality in assignments:
        members.setdefault(value, set()).add(municipality.name)
    next_order = max((d.order for d in district_rows), default=-1) + 1
    for value, names in members.items():
        if _find(district_rows, value) is None:
            name, office = district_names(value)
            district = District.objects.create(
                name=name, office_name=office, kind=_district_kind(office, names), order=next_order
            )
            next_order += 1
            district_rows.append(district)
            result.districts_created.append(office)


def _assign_blocks(Block, district_rows, block_rows, result) -> None:
    """Create the unknown blocks and put each district of the blocks file in its block."""
    block_list = list(Block.objects.all())
    next_block = max((b.order for b in block_list), default=-1) + 1
    for block_name, value in block_rows:
        block = _find(block_list, block_name)
        if block is None:
            block = Block.objects.create(name=block_name, order=next_block)
            next_block += 1
            block_list.append(block)
            result.blocks_created.append(block_name)
        district = _find(district_rows, value)
        if district.block_id != block.pk:
            district.block = block
            district.save(update_fields=["block"])
            result.changed += 1


def _place(municipality, district) -> int:
    """Put the municipality in the district and the district's block; 1 if that changed."""
    block_id = district.block_id if district.block_id else municipality.block_id
    if municipality.district_id == district.pk and municipality.block_id == block_id:
        return 0
    municipality.district_id = district.pk
    municipality.block_id = block_id
    municipality.save(update_fields=["district", "block"])
    return 1


def export_districts(apps=None) -> str:
    """The current districts as a districts file (for editing and importing again)."""
    _Block, _District, Municipality, _Organization = _models(apps)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(DISTRICTS_HEADER)
    for municipality in Municipality.objects.filter(district__isnull=False).select_related(
        "district"
    ):
        writer.writerow([municipality.district.office_name, municipality.code])
    return out.getvalue()


def export_blocks(apps=None) -> str:
    _Block, District, _Municipality, _Organization = _models(apps)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(BLOCKS_HEADER)
    for district in District.objects.filter(block__isnull=False).select_related("block"):
        writer.writerow([district.block.name, district.office_name])
    return out.getvalue()


# --- the page: districts and blocks by hand ----------------------------------------------


@transaction.atomic
def define_block(*, name: str, by=None):
    """A new block (or the existing one of that name)."""
    from core import audit

    Block = _models(None)[0]
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the block a name.")})
    block = Block.objects.filter(name=name).first()
    if block is None:
        order = max(Block.objects.values_list("order", flat=True), default=-1) + 1
        block = Block.objects.create(name=name, order=order)
        audit.record(block, "directory.block.created", by=by)
    _changed(None)
    return block


@transaction.atomic
def define_district(*, office_name: str, kind: str = "", block=None, by=None):
    """A new district named after its office (徳島保健所 → 徳島, 徳島保健所管内)."""
    from core import audit

    District = _models(None)[1]
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
        kind=kind or _district_kind(office, set()),
        block=block,
        order=order,
    )
    audit.record(district, "directory.district.created", by=by)
    _changed(None)
    return district


@transaction.atomic
def assign_areas(*, municipality_districts: dict, district_blocks: dict, by=None) -> int:
    """Put municipalities in districts ({municipality id: district id or None}) and districts
    in blocks ({district id: block id or None}); a municipality follows its district's block.
    Returns how many rows changed; each change is in the audit trail."""
    from core import audit

    Block, District, Municipality, _Organization = _models(None)
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
    _changed(None)
    return changed
