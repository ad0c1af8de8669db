"""Every municipality, district and partner organization of the directory can be visited:
give each its target. Later additions get theirs through services.target_for."""

from django.db import migrations


def create_targets(apps, schema_editor):
    Target = apps.get_model("supervision", "Target")
    for kind, model in [
        ("municipality", "Municipality"),
        ("district", "District"),
        ("organization", "PartnerOrganization"),
    ]:
        taken = Target.objects.filter(**{f"{kind}__isnull": False}).values(f"{kind}_id")
        rows = apps.get_model("directory", model).objects.exclude(pk__in=taken)
        Target.objects.bulk_create([Target(kind=kind, **{kind: row}) for row in rows])


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_initial"),
        ("directory", "0002_kochi_directory"),
    ]

    operations = [migrations.RunPython(create_targets, migrations.RunPython.noop)]
