"""Uploaded text files (CSV), read the same way by every page and command that takes one:

- **Size before anything**: a file over its limit is refused before it is decoded or parsed.
- **Encodings read with certainty**: UTF-8 with or without BOM, Shift_JIS (CP932) and UTF-16
  with a BOM. Anything else (UTF-16 without a BOM, binary data, text that decodes only into
  control or private-use characters) is refused with the encodings that are accepted, never
  guessed into mojibake.
- **Cells within a limit**: a cell longer than the limit is an error naming its line (the
  ``csv`` module's own limit, 131,072 characters, was a 500).
- **Error lists capped**: ``Problems`` keeps the first ``MAX_ERRORS`` messages and counts the
  rest, so a file of one repeated bad row gives a short page (and bounded memory), not a
  list of millions.

Messages name the file (``label``) and the line.
"""

import codecs
import csv
import io
import re
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ERRORS = 50
"""The errors a page or command lists; the rest are counted."""

UTF8, UTF8_BOM, SHIFT_JIS, UTF16 = "UTF-8", "UTF-8 (BOM)", "Shift_JIS (CP932)", "UTF-16"

# What CP932 decodes some bytes into that no text file holds: C1 controls and the private-use
# area of the vendor extension (0x80, 0xA0, 0xFD–0xFF), and C0 controls besides tab and breaks.
_IMPLAUSIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ue000-\uf8ff]")


def encoding_message(label: str) -> str:
    return _(
        "%(file)s: the character encoding cannot be read with certainty. Save the file as "
        "UTF-8 (with or without BOM), Shift_JIS (CP932) or UTF-16 with BOM."
    ) % {"file": label}


def size_message(label: str, max_bytes: int) -> str:
    return _("%(file)s: the file is larger than %(size)s.") % {
        "file": label,
        "size": _size(max_bytes),
    }


def _size(count: int) -> str:
    if count >= 1024 * 1024 and count % (1024 * 1024) == 0:
        return f"{count // (1024 * 1024)} MB"
    if count >= 1024 and count % 1024 == 0:
        return f"{count // 1024} KB"
    return f"{count} B"


def check_size(size: int, *, label: str, max_bytes: int) -> None:
    if size > max_bytes:
        raise ValidationError(size_message(label, max_bytes), code="too_large")


def one_upload(request, name: str, *, max_bytes: int, label: str):
    """The one file of the multipart part ``name`` (the API's uploads): two parts of that
    name, or a file over ``max_bytes``, is a ValidationError on ``name`` before anything is
    read (a second part used to win silently)."""
    files = request.FILES.getlist(name)
    if len(files) > 1:
        raise ValidationError(
            {name: _("Choose one file: this upload takes one file at a time.")}, code="files"
        )
    if files and files[0].size is not None and files[0].size > max_bytes:
        raise ValidationError({name: size_message(label, max_bytes)}, code="too_large")
    return files[0] if files else None


def decode(data: bytes, *, label: str, max_bytes: int) -> tuple[str, str]:
    """The text of an uploaded file and the name of its encoding; a ValidationError naming the
    file when it is too large or its encoding is not one of the accepted ones."""
    check_size(len(data), label=label, max_bytes=max_bytes)
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", label), UTF8_BOM
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", label), UTF16
    if b"\x00" in data:  # UTF-16 without a BOM, or not text at all
        raise ValidationError(encoding_message(label), code="encoding")
    for encoding, name in (("utf-8", UTF8), ("cp932", SHIFT_JIS)):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _IMPLAUSIBLE.search(text):
            return text, name
    raise ValidationError(encoding_message(label), code="encoding")


def _strict(data: bytes, encoding: str, label: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise ValidationError(encoding_message(label), code="encoding") from None
    if _IMPLAUSIBLE.search(text):
        raise ValidationError(encoding_message(label), code="encoding")
    return text


def csv_rows(
    text: str, *, label: str, max_cell: int, dialect: type[csv.Dialect] | str = "excel"
) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each record of a CSV text; a ValidationError naming the line of
    the first cell longer than ``max_cell`` characters (or that the ``csv`` module cannot
    read) stops the reading."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), dialect=dialect)
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise ValidationError(cell_message(label, line, max_cell), code="cell") from None
        if any(len(cell) > max_cell for cell in cells):
            raise ValidationError(cell_message(label, line, max_cell), code="cell")
        yield line, cells


def cell_message(label: str, line: int, max_cell: int) -> str:
    return _(
        "%(file)s, line %(line)d: a cell is longer than %(max)d characters or the line "
        "cannot be read."
    ) % {"file": label, "line": line, "max": max_cell}


class Problems:
    """The errors of one file: the first ``limit`` messages kept, the rest only counted."""

    def __init__(self, limit: int = MAX_ERRORS):
        self.limit = limit
        self.shown: list[str] = []
        self.count = 0

    def add(self, message: str) -> None:
        self.count += 1
        if len(self.shown) < self.limit:
            self.shown.append(str(message))

    def extend(self, messages) -> None:
        for message in messages:
            self.add(message)

    def __bool__(self) -> bool:
        return self.count > 0

    @property
    def full(self) -> bool:
        """More errors would only be counted (a reader may stop looking)."""
        return self.count >= self.limit

    def messages(self) -> list[str]:
        """The kept messages and, when there were more, one line saying how many."""
        hidden = self.count - len(self.shown)
        if hidden <= 0:
            return list(self.shown)
        return [
            *self.shown,
            _("… and %(count)d more errors (the first %(shown)d are shown).")
            % {"count": hidden, "shown": len(self.shown)},
        ]

    def error(self) -> ValidationError:
        return ValidationError(self.messages())


def capped(messages, limit: int = MAX_ERRORS) -> list[str]:
    """A list of error messages cut to the first ``limit`` and a count of the rest."""
    problems = Problems(limit)
    problems.extend(messages)
    return problems.messages()
