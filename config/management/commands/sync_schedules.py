from django.core.management.base import BaseCommand
from django.db import transaction
from django_q.models import Schedule

from config.jobs import JOBS


class Command(BaseCommand):
    help = "Make django-q2's schedules match config.jobs.JOBS (idempotent; removes unlisted ones)."

    @transaction.atomic
    def handle(self, *args, **options):
        names = {job.name for job in JOBS}
        removed, _ = Schedule.objects.exclude(name__in=names).delete()
        for job in JOBS:
            _, created = Schedule.objects.update_or_create(
                name=job.name,
                defaults={
                    "func": job.func,
                    "schedule_type": Schedule.MINUTES,
                    "minutes": job.minutes,
                    "repeats": -1,
                },
            )
            self.stdout.write(f"{'created' if created else 'updated'} schedule {job.name}")
        if removed:
            self.stdout.write(f"removed {removed} schedule(s) no longer listed")
