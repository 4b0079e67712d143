"""A management command with sub-commands, so that `cchc units import FILE` reads like a tool."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


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
