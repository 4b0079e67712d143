"""`cchc notifications daily [--date YYYY-MM-DD]`: the day's deadline notifications, then the e-mails.

Run it once a day, early on working days (cron or a systemd timer; docs/notifications.md). Running it
twice the same day creates nothing new and e-mails nothing twice.
"""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cchc.notifications.feed import run_daily


class Command(BaseCommand):
    help = "Notifications: `daily` creates the day's deadline notifications and sends the e-mail digests."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["daily"], help="daily: deadlines of the day, then e-mails")
        parser.add_argument("--date", help="the day to act as today, YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, what: str, date: str | None = None, **options: Any) -> None:
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"{date!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-02-13.") from None
        counts = run_daily(today)
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(f"{today.isoformat()}: done.")
