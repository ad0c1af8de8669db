"""The default directory used to be loaded here from a list typed by hand; it now comes from
the official list in 0004_default_prefecture (a database that ran this earlier keeps its rows,
and 0004 gives them their codes)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = []
