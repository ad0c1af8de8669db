"""Kochi's default directory from the official list (directory.kochi): a new database gets it
whole; one created before codes existed gets each municipality's code (matched by name), kana,
kind and location, each district its block, and the center's profile."""

from django.db import migrations

# Spellings of the hand-typed list that the official list writes otherwise.
VARIANTS = {"梼原町": "檮原町"}


def load(apps, schema_editor):
    from directory import sources
    from directory.kochi import PREFECTURE, load_directory

    Municipality = apps.get_model("directory", "Municipality")
    District = apps.get_model("directory", "District")
    official = {
        m.name: m.code for m in sources.municipalities_of(sources.find_prefecture(PREFECTURE))
    }
    for row in Municipality.objects.filter(code__isnull=True):
        code = official.get(VARIANTS.get(row.name, row.name))
        if code:
            row.code = code
            row.save(update_fields=["code"])
    if Municipality.objects.filter(code__isnull=True).exists():
        return  # not the default directory: leave it to setup_prefecture
    for district in District.objects.filter(block__isnull=True):
        blocks = set(district.municipalities.values_list("block_id", flat=True))
        if len(blocks) == 1 and None not in blocks:
            district.block_id = blocks.pop()
            district.save(update_fields=["block"])
    load_directory(apps)


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_municipality_codes_and_center_profile")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
