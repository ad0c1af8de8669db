from django.db import migrations


def load(apps, schema_editor):
    from directory.kochi import load_directory

    load_directory(apps)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
