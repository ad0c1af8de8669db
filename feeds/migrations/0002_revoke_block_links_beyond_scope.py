"""Block links issued by staff other than the center's carried visits their issuers may not see
(a block spans districts); only center staff issue them now. Revoke those already issued."""

from django.db import migrations
from django.utils import timezone


def revoke(apps, schema_editor):
    Subscription = apps.get_model("feeds", "Subscription")
    (
        Subscription.objects.filter(kind="block", revoked_at__isnull=True, created_by__isnull=False)
        .exclude(created_by__role="center")
        .exclude(created_by__is_superuser=True)
        .update(revoked_at=timezone.now())
    )


class Migration(migrations.Migration):
    dependencies = [("feeds", "0001_subscriptions")]

    operations = [migrations.RunPython(revoke, migrations.RunPython.noop)]
