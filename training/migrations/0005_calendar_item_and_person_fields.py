"""Events become calendar items (core.calendar_item) and registrations take the person fields
(training.models.people): the columns stay; events are indexed by their start, and nothing
reads a municipality's registrations backwards any more (no column change)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0008_center_second_factor"),
        ("training", "0004_lecturer_honorific_print_style"),
    ]

    operations = [
        migrations.AlterField(
            model_name="event",
            name="starts_at",
            field=models.DateTimeField(db_index=True, verbose_name="starts at"),
        ),
        migrations.AlterField(
            model_name="registration",
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
