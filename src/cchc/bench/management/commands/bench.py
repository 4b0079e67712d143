"""`cchc bench onestop`: the one-stop benchmark (`cchc onestop bench` runs it too)."""

import os
import sys
from typing import Any

from django.db import connection

from cchc.bench import dashboard
from cchc.bench.load import load_dossiers
from cchc.bench.onestop import run_bench
from cchc.core.commands import SubcommandCommand


class Command(SubcommandCommand):
    help = "Benchmarks: generate data of their own and measure the hot paths beside baselines."

    def add_subcommands(self, subparsers: Any) -> None:
        onestop = subparsers.add_parser(
            "onestop", help="Generate dossiers and measure import, due dates, dashboards."
        )
        onestop.add_argument("--rows", type=int, default=100_000)
        onestop.add_argument("--seed", type=int, default=766)
        onestop.add_argument("--json", action="store_true", dest="as_json")
        onestop.add_argument(
            "--raw-repeats",
            type=int,
            default=3,
            help="how many times each dashboard question is asked of the raw dossiers (default 3)",
        )
        load = subparsers.add_parser(
            "load", help="Add generated dossiers to an existing province (the demo's), for the load test."
        )
        load.add_argument("--rows", type=int, default=1_000_000)
        load.add_argument("--seed", type=int, default=766)
        load.add_argument(
            "--province", dest="province_code", help="the province's code (default: the only one)"
        )

    def handle_onestop(
        self, *, rows: int, seed: int, as_json: bool, raw_repeats: int, **options: Any
    ) -> None:
        os.environ[dashboard.RAW_REPEATS_VARIABLE] = str(max(1, raw_repeats))
        result = run_bench(rows=rows, seed=seed, log=sys.stderr)
        result.setdefault("db", connection.vendor)
        if as_json:
            self.print_json(result)
        else:
            for key, value in result.items():
                self.stdout.write(f"{key:>28}: {value}")

    def handle_load(self, *, rows: int, seed: int, province_code: str | None, **options: Any) -> None:
        def say(text: str) -> None:
            self.stderr.write(text)

        result = load_dossiers(rows=rows, seed=seed, province_code=province_code, log=say)
        self.print_json(result)
