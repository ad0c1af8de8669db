"""Roster entries take the person fields (training.models.people): the columns stay; nothing
reads a municipality's roster rows backwards any more (no column change)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0001_initial"),
        ("directory", "0008_center_second_factor"),
    ]

    operations = [
        migrations.AlterField(
            model_name="rosterentry",
            name="municipality",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="directory.municipality",
                verbose_name="municipality",
            ),
        ),
    ]
