"""`cchc workdays add DATE N` and `cchc workdays count FROM TO`: the working-day calendar from the shell."""

import datetime
from typing import Any

from django.core.management.base import CommandError

from cchc.core.commands import SubcommandCommand
from cchc.workdays import calendar


def parse_iso_date(raw: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"{raw!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-02-13.") from None


def parse_count(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise CommandError(f"{raw!r} is not a whole number of working days.") from None
    if value < 0:
        raise CommandError(f"The number of working days must be zero or more, not {value}.")
    return value


class Command(SubcommandCommand):
    help = "Working-day arithmetic with the official calendar (holidays, swaps and overrides)."

    def add_subcommands(self, subparsers: Any) -> None:
        add = subparsers.add_parser(
            "add", help="Print the date N working days after DATE (DATE not counted)."
        )
        add.add_argument("date", help="start date, YYYY-MM-DD")
        add.add_argument("n", help="number of working days, 0 or more")
        add.add_argument("--json", action="store_true", help="print a JSON object instead of the bare date")

        count = subparsers.add_parser(
            "count", help="Print how many working days lie in [FROM, TO], both included."
        )
        count.add_argument("start", help="first day, YYYY-MM-DD")
        count.add_argument("end", help="last day, YYYY-MM-DD")
        count.add_argument(
            "--json", action="store_true", help="print a JSON object instead of the bare number"
        )

    def handle_add(self, *, date: str, n: str, json: bool = False, **options: Any) -> None:
        start, days = parse_iso_date(date), parse_count(n)
        try:
            result = calendar.add_working_days(start, days)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if json:
            self.print_json({"start": start.isoformat(), "n": days, "result": result.isoformat()})
        else:
            self.stdout.write(result.isoformat())

    def handle_count(self, *, start: str, end: str, json: bool = False, **options: Any) -> None:
        first, last = parse_iso_date(start), parse_iso_date(end)
        try:
            count = calendar.working_days_between(first, last)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if json:
            self.print_json({"start": first.isoformat(), "end": last.isoformat(), "working_days": count})
        else:
            self.stdout.write(str(count))
