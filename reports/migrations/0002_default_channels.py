from django.db import migrations

CHANNELS = [("来所相談", 1), ("電話面接", 2)]


def add_channels(apps, schema_editor):
    Channel = apps.get_model("reports", "ConsultationChannel")
    for name, order in CHANNELS:
        Channel.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_direct_support_figures")]

    operations = [migrations.RunPython(add_channels, migrations.RunPython.noop)]
