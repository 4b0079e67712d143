"""`cchc plan_reminders [--date YYYY-MM-DD] [--dry-run]`: today's task deadline reminders as notifications.

The daily run `cchc notifications daily` already does this (and the other modules' deadlines, and the
digests); this command remains for installations that schedule it. Running it again the same day creates
nothing new. E-mails follow each person's choice: at once now, or in the next daily digest.
"""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cchc.plans.reminders import send_reminders


class Command(BaseCommand):
    help = "Notify the focal points of tasks 7, 3 and 1 working days before their deadline, and when overdue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day to act as today, YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would be created; change nothing"
        )

    def handle(self, *args: Any, date: str | None = None, dry_run: bool = False, **options: Any) -> None:
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"{date!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-02-13.") from None
        notifications = send_reminders(today, dry_run=dry_run)
        verb = "would notify" if dry_run else "notified"
        for notification in notifications:
            self.stdout.write(f"{verb}: {notification.recipient.username} {notification.event_key}")
        done = "would be created" if dry_run else "created"
        self.stdout.write(f"{today.isoformat()}: {len(notifications)} notification(s) {done}.")
