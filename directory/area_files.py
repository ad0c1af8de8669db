"""The districts and blocks files (``district,municipality_code`` / ``block,district``, UTF-8 or
Shift_JIS): importing them (all or nothing, naming the line of any error; the same files again
change nothing) and writing the current ones for editing. The default's are the examples in
``directory/data/``."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import exports, uploads
from directory import sources
from directory.areas import directory_models, district_kind, district_names, notify_followers

# --- districts and blocks ----------------------------------------------------------------

DISTRICTS_HEADER = ["district", "municipality_code"]
BLOCKS_HEADER = ["block", "district"]
MAX_BYTES = 1024 * 1024
"""The largest districts or blocks file (a prefecture's has a few hundred lines)."""
MAX_CELL = 200
"""The longest cell: a district's or block's name is at most 100 characters."""
DISTRICT_MAX = 100  # District.office_name
BLOCK_MAX = 50  # Block.name


@dataclass
class ImportResult:
    districts_created: list[str] = field(default_factory=list)
    blocks_created: list[str] = field(default_factory=list)
    changed: int = 0  # municipalities and districts whose district or block changed

    @property
    def changed_anything(self) -> bool:
        return bool(self.districts_created or self.blocks_created or self.changed)


def read_csv(data: bytes | str, header: list[str], *, label: str) -> list[tuple[int, list[str]]]:
    """The rows of a small CSV with the given header (core.uploads: at most ``MAX_BYTES``, UTF-8
    with or without BOM, Shift_JIS or UTF-16 with BOM, cells of at most ``MAX_CELL``
    characters), as (line number, cells); blank lines are skipped. A cell that an export
    protected from becoming a formula (``'=…``) is read back without the apostrophe."""
    if isinstance(data, bytes):
        text, _encoding = uploads.decode(data, label=label, max_bytes=MAX_BYTES)
    else:
        uploads.check_size(len(data.encode()), label=label, max_bytes=MAX_BYTES)
        text = data
    rows = [
        (number, [exports.unquote_cell(cell.strip()) for cell in cells])
        for number, cells in uploads.csv_rows(text, label=label, max_cell=MAX_CELL)
        if any(cell.strip() for cell in cells)
    ]
    if not rows or [cell.lower() for cell in rows[0][1]] != header:
        raise ValidationError(
            _("%(file)s, line 1: the header must be “%(header)s”.")
            % {"file": label, "header": ",".join(header)}
        )
    problems = uploads.Problems()
    for number, cells in rows[1:]:
        if len(cells) != len(header) or not all(cells):
            problems.add(
                _("%(file)s, line %(line)d: expected %(count)d values (%(header)s).")
                % {"file": label, "line": number, "count": len(header), "header": ",".join(header)}
            )
    if problems:
        raise problems.error()
    return rows[1:]


def _too_long(value: str, max_length: int, *, label: str, number: int) -> str | None:
    """The message for a value longer than its column (with the file and line), else None."""
    if len(value) <= max_length:
        return None
    return _("%(file)s, line %(line)d: “%(value)s…” is longer than %(max)d characters.") % {
        "file": label,
        "line": number,
        "value": value[:20],
        "max": max_length,
    }


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
    Block, District, Municipality, _Organization = directory_models(apps)
    result = ImportResult()
    errors = uploads.Problems()
    municipalities = {m.code: m for m in Municipality.objects.exclude(code__isnull=True)}
    district_rows = list(District.objects.all())
    assignments = (
        _read_districts(districts, municipalities, errors) if districts is not None else []
    )
    block_rows = (
        _read_blocks(blocks, district_rows, assignments, errors) if blocks is not None else []
    )
    if errors:
        raise errors.error()
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
    notify_followers(apps)
    return result


def _read_districts(districts, municipalities, errors) -> list[tuple[str, object]]:
    """The districts file as (district value, municipality) pairs; bad lines go to errors."""
    label, seen, assignments = _("districts file"), {}, []
    for number, (value, code) in read_csv(districts, DISTRICTS_HEADER, label=label):
        if message := _too_long(value, DISTRICT_MAX, label=label, number=number):
            errors.add(message)
            continue
        normalized = sources.normalize_code(code)
        municipality = municipalities.get(normalized) if normalized else None
        if municipality is None:
            errors.add(
                _("%(file)s, line %(line)d: unknown municipality code %(code)s.")
                % {"file": label, "line": number, "code": code}
            )
            continue
        if municipality.code in seen:
            errors.add(
                _("%(file)s, line %(line)d: %(name)s is already on line %(first)d.")
                % {"file": label, "line": number, "name": municipality.name,
                   "first": seen[municipality.code]}
            )  # fmt: skip
            continue
        seen[municipality.code] = number
        assignments.append((value, municipality))
    return assignments


def _read_blocks(blocks, district_rows, assignments, errors) -> list[tuple[str, str]]:
    """The blocks file as (block, district value) pairs; unknown districts, names too long and
    a district put into two blocks go to errors."""
    label, block_rows, seen = _("blocks file"), [], {}
    named_in_file = {value for value, _m in assignments}
    for number, (block, value) in read_csv(blocks, BLOCKS_HEADER, label=label):
        if message := _too_long(block, BLOCK_MAX, label=label, number=number):
            errors.add(message)
            continue
        district = _find(district_rows, value)
        if district is None and value not in named_in_file:
            errors.add(
                _("%(file)s, line %(line)d: unknown district %(district)s.")
                % {"file": label, "line": number, "district": value}
            )
            continue
        key = district.pk if district is not None else value
        if key in seen:
            errors.add(
                _("%(file)s, line %(line)d: %(district)s is already in a block on line %(first)d.")
                % {"file": label, "line": number, "district": value, "first": seen[key]}
            )
            continue
        seen[key] = number
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
                name=name, office_name=office, kind=district_kind(office, names), order=next_order
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


def district_table(apps=None) -> tuple[list[str], list[list]]:
    """The current districts as a districts file's header and rows (for editing and importing
    again)."""
    _Block, _District, Municipality, _Organization = directory_models(apps)
    rows = Municipality.objects.filter(district__isnull=False).select_related("district")
    return DISTRICTS_HEADER, [[m.district.office_name, m.code] for m in rows]


def block_table(apps=None) -> tuple[list[str], list[list]]:
    _Block, District, _Municipality, _Organization = directory_models(apps)
    rows = District.objects.filter(block__isnull=False).select_related("block")
    return BLOCKS_HEADER, [[d.block.name, d.office_name] for d in rows]


def export_districts(apps=None) -> str:
    """The districts file as text, written through core.exports (no cell becomes a formula)."""
    return exports.table_csv(*district_table(apps)).decode("utf-8-sig")


def export_blocks(apps=None) -> str:
    return exports.table_csv(*block_table(apps)).decode("utf-8-sig")
