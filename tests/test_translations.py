"""Every Japanese catalog is complete and its compiled .mo (committed, so no gettext tools are
needed to run Sasaeru) matches the .po. After changing texts run ``bin/messages``, translate the
new entries in the app's ``locale/ja/LC_MESSAGES/django.po`` and run it again."""

import gettext
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = sorted(
    [ROOT / "locale/ja/LC_MESSAGES/django.po", *ROOT.glob("*/locale/ja/LC_MESSAGES/django.po")]
)


def test_every_app_with_texts_has_a_catalog():
    assert ROOT / "directory/locale/ja/LC_MESSAGES/django.po" in CATALOGS


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_japanese_catalog_has_no_untranslated_or_fuzzy_entry(po_path):
    po = polib.pofile(str(po_path))

    missing = [entry.msgid for entry in po if not entry.obsolete and not entry.translated()]

    assert missing == []


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_japanese_mo_matches_the_po(po_path):
    po = polib.pofile(str(po_path))
    with open(po_path.with_suffix(".mo"), "rb") as handle:
        mo = gettext.GNUTranslations(handle)

    stale = [
        entry.msgid
        for entry in po.translated_entries()
        if not entry.msgid_plural
        and (mo.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else mo.gettext(entry.msgid))
        != entry.msgstr
    ]

    assert stale == []
