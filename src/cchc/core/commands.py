"""A management command with sub-commands, so that `cchc units import FILE` reads like a tool."""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.formats import number_format

from cchc.core.imports import ImportRefused


def count_text(value: int) -> str:
    """A count as the pages print it, thousands grouped the Vietnamese way: 12345 -> "12.345"."""
    return number_format(value, use_l10n=True, force_grouping=True)


def refusal(error: ValidationError) -> CommandError:
    """A service's refusal as a command error: every bad row on a line of its own."""
    if isinstance(error, ImportRefused):
        lines = [
            message if row is None else f"dòng {row}, cột {column}: {message}"
            for row, column, message in error.rows
        ]
        return CommandError("Không nhập được, chưa ghi gì:\n" + "\n".join(lines))
    return CommandError(" ".join(error.messages))


def read_file(name: str) -> bytes:
    path = Path(name)
    if not path.is_file():
        raise CommandError(f"{name} is not a file.")
    return path.read_bytes()


class SubcommandCommand(BaseCommand):
    """Dispatches `cchc <app> <sub-command> ...` to a method `handle_<sub_command>`.

    Subclasses implement `add_subcommands(subparsers)` and one handler per sub-command.
    """

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="subcommand", required=True, parser_class=CommandParser)
        self.add_subcommands(subparsers)

    def add_subcommands(self, subparsers: Any) -> None:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        name = options.pop("subcommand").replace("-", "_")
        handler = getattr(self, f"handle_{name}", None)
        if handler is None:
            raise CommandError(f"Unknown sub-command {name!r}")
        handler(**options)

    def print_json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
