"""`cchc plan_reminders [--date YYYY-MM-DD] [--dry-run]`: e-mail today's task deadline reminders.

Meant to run once a day (cron or a scheduled job). Running it again the same day sends nothing new.
"""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cchc.plans.reminders import DUE, send_reminders

STATUS_WORDS = {"sent": "sent", "dry_run": "would send", "no_email": "skipped (no e-mail address)"}


class Command(BaseCommand):
    help = "E-mail the focal points of tasks 7, 3 and 1 working days before their deadline, and when overdue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day to act as today, YYYY-MM-DD (default: today)")
        parser.add_argument("--dry-run", action="store_true", help="print what would be sent; send nothing")

    def handle(self, *args: Any, date: str | None = None, dry_run: bool = False, **options: Any) -> None:
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"{date!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-02-13.") from None
        outgoing = send_reminders(today, dry_run=dry_run)
        for mail in outgoing:
            address = mail.user.email or "-"
            self.stdout.write(f"{STATUS_WORDS[mail.status]}: {mail.user.username} <{address}> {mail.subject}")
            for reminder in mail.reminders:
                task = reminder.task
                when = "left" if reminder.kind == DUE else "overdue"
                self.stdout.write(
                    f"  task {task.pk} {task.deadline:%d/%m/%Y} "
                    f"({reminder.working_days} working days {when}): {task.text[:80]}"
                )
        sent = sum(1 for mail in outgoing if mail.status == "sent")
        self.stdout.write(f"{today.isoformat()}: {sent} e-mail(s) sent, {len(outgoing)} person(s) to remind.")
