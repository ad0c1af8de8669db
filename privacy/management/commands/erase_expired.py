"""``manage.py erase_expired [--dry-run] [--date YYYY-MM-DD]``: the scheduled erasure by hand
(privacy.scheduled), printing in Japanese what is due per kind and its progress."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from core.fiscal import TOKYO
from privacy.erase import label_of
from privacy.periods import cutoffs
from privacy.scheduled import count_due, erase_expired


def _moment(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--date は 2027-04-01 のような日付で指定してください（{value}）"
        ) from None
    return dt.datetime.combine(day, dt.time(), TOKYO)


class Command(BaseCommand):
    help = "保存期間を過ぎた個人データを削除します（--dry-run: 件数を表示するだけ）。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="件数を表示し、何も変更しない")
        parser.add_argument("--date", help="この日に実行したものとして数える（YYYY-MM-DD）")

    def handle(self, *args, dry_run=False, date=None, **options):
        now = _moment(date)
        with translation.override("ja"):
            limits = cutoffs(now)
            personal, notes = limits.personal.date(), limits.visit_notes.date()
            self.stdout.write(
                f"保存期間の基準: 申込・名簿は{personal}より前の行事、"
                f"訪問メモは{notes}より前の訪問、送信済みメールは{limits.outbox.date()}より前"
            )
            due = count_due(now)
            for key, count in due.items():
                self.stdout.write(f"  {label_of(key)}: {count}件")
            total = sum(due.values())
            if dry_run:
                self.stdout.write(
                    f"削除対象 合計 {total}件（--dry-run のため何も変更していません）"
                )
                return
            if not total:
                self.stdout.write("削除するものはありません。")
                return

            def progress(key: str, done: int, count: int) -> None:
                self.stdout.write(f"  {label_of(key)}: {done} / {count}件 削除済み")

            run = erase_expired(now=now, progress=progress)
            erased = run.total if run else 0
            self.stdout.write(f"削除しました: 合計 {erased}件（監査記録に件数を残しました）")
