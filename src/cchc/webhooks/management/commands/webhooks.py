"""`cchc webhooks retry`: attempt the webhook deliveries whose next attempt is due.

The worker normally runs each retry at its time (`run_after`); run this every few minutes (cron or a
systemd timer; docs/webhooks.md) to pick up a delivery whose job was lost with its worker.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cchc.webhooks.sending import send_due


class Command(BaseCommand):
    help = "Webhooks: `retry` attempts the deliveries whose next attempt is due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["retry"], help="retry: attempt the due deliveries")

    def handle(self, *args: Any, what: str, **options: Any) -> None:
        self.stdout.write(f"attempted: {send_due()}")
