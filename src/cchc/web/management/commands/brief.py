"""`cchc brief send-scheduled [--date DD/MM/YYYY]`: e-mail the briefs whose schedule is due.

Run it once a day (cron, or the worker's timer): each schedule due that day is sent once, however
many times the command runs; a schedule whose sending failed is tried again by the next run.
"""

import datetime
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from cchc.core.commands import SubcommandCommand
from cchc.web.brief.services import send_scheduled


def parse_day(text: str) -> datetime.date:
    for layout in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, layout).date()
        except ValueError:
            continue
    raise CommandError(f"{text!r} is not a date: write DD/MM/YYYY.")


class Command(SubcommandCommand):
    help = "The one-page brief: send the scheduled briefs that are due."

    def add_subcommands(self, subparsers: Any) -> None:
        send = subparsers.add_parser("send-scheduled", help="E-mail the briefs due today (or on --date).")
        send.add_argument("--date", help="The day to send for, DD/MM/YYYY (default: today).")
        send.add_argument("--json", action="store_true", help="Print what was tried as JSON.")

    def handle_send_scheduled(self, *, date: str | None = None, json: bool = False, **_options: Any) -> None:
        day = parse_day(date) if date else timezone.localdate()
        deliveries = send_scheduled(day)
        rows = [
            {
                "schedule": delivery.subscription_id,
                "unit": delivery.subscription.unit.name,
                "status": delivery.status,
                "recipients": len(delivery.recipients.splitlines()),
                "message": delivery.message,
            }
            for delivery in deliveries
        ]
        if json:
            self.print_json({"date": day.isoformat(), "deliveries": rows})
            return
        sent = sum(1 for row in rows if row["status"] == "sent")
        self.stdout.write(f"{day:%d/%m/%Y}: {sent} brief(s) sent, {len(rows) - sent} failed.")
        for row in rows:
            if row["status"] != "sent":
                self.stdout.write(f"  {row['unit']}: {row['message']}")
        if len(rows) > sent:
            raise CommandError("Some briefs were not sent; the next run today tries them again.")
