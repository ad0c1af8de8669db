"""Visits and lecturer dispatches become calendar items (core.calendar_item), like training
events. The columns stay as they were; what changes:

- a lecturer dispatch gets ``created_at`` (existing rows: their ``updated_at``, the earliest
  time the table knows);
- a lecturer dispatch must end after it starts, and its place is at most 200 characters, as a
  visit's always were. Before the check is added, every row that breaks it is repaired, never
  dropped: an end at or before the start becomes the start plus two hours (the length a visit or
  dispatch gets when no end is given), an over-long place is cut at 200 characters. Each repair
  is written to the audit trail (``supervision.lecturerdispatch.changed`` by the system, the old
  and new value, the reason) and printed, so the office sees which rows to check;
- ``sequence`` and ``cancelled_at`` are no longer editable in forms (no column change), the
  visit's end-after-start check gets its Japanese message, dispatches are indexed by start.
"""

import datetime as dt

import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
from django.db import migrations, models
from django.db.models import F

DEFAULT_LENGTH = dt.timedelta(hours=2)
PLACE_LENGTH = 200
REASON = "データベースの制約（終了は開始より後、場所は200文字以内）に合わせて移行時に修正"


def _plain(value):
    return value.astimezone(dt.UTC).isoformat() if isinstance(value, dt.datetime) else value


def repair_dispatches(apps, schema_editor):
    LecturerDispatch = apps.get_model("supervision", "LecturerDispatch")
    LecturerDispatch.objects.update(created_at=F("updated_at"))
    repairs = []
    for dispatch in LecturerDispatch.objects.order_by("id"):
        changes = {}
        if dispatch.ends_at <= dispatch.starts_at:
            changes["ends_at"] = (dispatch.ends_at, dispatch.starts_at + DEFAULT_LENGTH)
        if len(dispatch.place) > PLACE_LENGTH:
            changes["place"] = (dispatch.place, dispatch.place[:PLACE_LENGTH])
        if changes:
            LecturerDispatch.objects.filter(pk=dispatch.pk).update(
                **{name: new for name, (old, new) in changes.items()}
            )
            repairs.append((dispatch, changes))
    if not repairs:
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("core", "AuditEntry")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="supervision", model="lecturerdispatch"
    )
    for dispatch, changes in repairs:
        AuditEntry.objects.create(
            content_type=content_type,
            object_id=str(dispatch.pk),
            object_repr=f"{dispatch.title} ({dispatch.host})"[:200],
            action="supervision.lecturerdispatch.changed",
            actor_label="system",
            changes={name: [_plain(old), _plain(new)] for name, (old, new) in changes.items()},
            data={"reason": REASON},
        )
        print(f"\n  lecturer dispatch {dispatch.pk} repaired: {', '.join(changes)}", end="")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_invented_fiscal_year"),
        ("supervision", "0004_input_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="lecturerdispatch",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.RunPython(repair_dispatches, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="lecturerdispatch",
            name="cancelled_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="lecturerdispatch",
            name="sequence",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="sequence"),
        ),
        migrations.AlterField(
            model_name="lecturerdispatch",
            name="starts_at",
            field=models.DateTimeField(db_index=True, verbose_name="starts at"),
        ),
        migrations.AlterField(
            model_name="lecturerdispatch",
            name="status",
            field=models.CharField(
                choices=[("scheduled", "scheduled"), ("done", "done"), ("cancelled", "cancelled")],
                default="scheduled",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="visit",
            name="cancelled_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="visit",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.AlterField(
            model_name="visit",
            name="sequence",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="sequence"),
        ),
        migrations.AddConstraint(
            model_name="lecturerdispatch",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_at__gt", models.F("starts_at"))),
                name="lecturer_dispatch_ends_after_start",
                violation_error_message="The end must be after the start.",
            ),
        ),
        migrations.AddConstraint(
            model_name="lecturerdispatch",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("place"), 200
                ),
                name="lecturer_dispatch_place_length",
                violation_error_message="This value is outside the range Sasaeru supports.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="visit",
            name="visit_ends_after_start",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_at__gt", models.F("starts_at"))),
                name="visit_ends_after_start",
                violation_error_message="The end must be after the start.",
            ),
        ),
    ]
