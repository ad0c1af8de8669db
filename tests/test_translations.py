"""The Japanese catalog is complete and its compiled .mo (committed, so no gettext tools are
needed to run Sasaeru) matches the .po. After changing texts: ``manage.py makemessages -l ja
--ignore=.venv``, translate, ``manage.py compilemessages -l ja --ignore=.venv``."""

import gettext
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "ja" / "LC_MESSAGES"


def test_japanese_catalog_has_no_untranslated_or_fuzzy_entry():
    po = polib.pofile(str(LOCALE / "django.po"))

    missing = [entry.msgid for entry in po if not entry.obsolete and not entry.translated()]

    assert missing == []


def test_japanese_mo_matches_the_po():
    po = polib.pofile(str(LOCALE / "django.po"))
    with open(LOCALE / "django.mo", "rb") as handle:
        mo = gettext.GNUTranslations(handle)

    stale = [
        entry.msgid
        for entry in po.translated_entries()
        if not entry.msgid_plural
        and (mo.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else mo.gettext(entry.msgid))
        != entry.msgstr
    ]

    assert stale == []
