"""`cchc onestop import | stats | index | import-scores | rebuild | check | sweep-jobs | bench | feed |
partitions`."""

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.core import cells
from cchc.core.commands import SubcommandCommand, count_text
from cchc.core.periods import Period
from cchc.kit.wording import number
from cchc.onestop import queries, services
from cchc.onestop.feed import command as feed_command
from cchc.onestop.services.jobs import sweep_jobs
from cchc.units.models import Unit

KINDS: dict[str, Any] = {"procedures": gettext_lazy("Procedures"), "dossiers": gettext_lazy("Dossiers")}
MONTH_STATES: dict[str, Any] = {"attached": gettext_lazy("in use"), "archived": gettext_lazy("archived")}


def _progress_bar(stream: Any) -> Any:
    """A progress line on the terminal: rows read so far (the total of a streamed file is unknown)."""

    def show(rows: int) -> None:
        stream.write("\r" + _("… %(rows)s rows read") % {"rows": count_text(rows)})
        stream.flush()

    return show


def find_unit(code: str, period: Period) -> Unit:
    """The unit that carried `code` at the period's end, or failing that at its start.

    Codes were reused in 2025 (QĐ 19/2025), so a code alone may name an old unit and a new one;
    official scores are matched the same way (`official.Checker.unit`).
    """
    unit = Unit.objects.by_code(code, period.end).first() or Unit.objects.by_code(code, period.start).first()
    if unit is None:
        raise CommandError(
            _("No unit had the code %(code)s in %(period)s.") % {"code": code, "period": period.label}
        )
    return unit


def parse_period(text: str) -> Period:
    try:
        return queries.parse_period(text)
    except ValueError as error:
        raise CommandError(str(error)) from error


# `cchc onestop stats` without --json: each figure under the name the dashboard gives it.
STATS_COUNTS = {
    "received": gettext_lazy("Received"),
    "finished": gettext_lazy("Finished"),
    "finished_early": gettext_lazy("Finished early"),
    "finished_on_time": gettext_lazy("Finished on time"),
    "finished_late": gettext_lazy("Finished late"),
    "pending": gettext_lazy("Pending at the end of the period"),
    "pending_overdue": gettext_lazy("Pending past the deadline"),
}
STATS_LABELS = STATS_COUNTS | {
    "on_time_rate": gettext_lazy("On-time rate"),
    "online_rate": gettext_lazy("Share received online"),
    "digitized_rate": gettext_lazy("Share digitised on receipt"),
    "apology_rate": gettext_lazy("Late dossiers with an apology letter in time"),
    "e_result_rate": gettext_lazy("Results issued electronically"),
    "paid_online_rate": gettext_lazy("Fees paid online"),
    "full_online_rate": gettext_lazy("Full online procedures applied for online"),
    "satisfaction_rate": gettext_lazy("Satisfied at return"),
}


def percent_text(value: float | None) -> str:
    """98.5 -> "98,5 %", None -> "—" (no dossier to count it on is not 0 %)."""
    return "—" if value is None else f"{number(Decimal(str(value)))}\u00a0%"


class Command(SubcommandCommand):
    help = "One-stop dossiers: imports, statistics, the QĐ 766 service index, rollups and the benchmark."

    def add_subcommands(self, subparsers: Any) -> None:
        imports = subparsers.add_parser(
            "import", help="Import procedures or dossiers from CSV, XLSX or JSON."
        )
        imports.add_argument("file")
        imports.add_argument(
            "--kind",
            choices=["auto", "procedures", "dossiers"],
            default="auto",
            help="What the file holds; auto looks at its columns.",
        )
        imports.add_argument("--errors", help="Write the per-row error report to this CSV file.")
        imports.add_argument("--json", action="store_true", dest="as_json")

        for name, text in (
            ("stats", "Dossier statistics of a unit and the units below it."),
            ("index", "The QĐ 766 service index of a unit, beside the official scores."),
        ):
            sub = subparsers.add_parser(name, help=text)
            sub.add_argument("--unit", required=True, help="Unit code, e.g. 99 or 99002.")
            sub.add_argument("--period", required=True, help="YYYY, YYYY-Qn or YYYY-MM.")
            sub.add_argument("--json", action="store_true", dest="as_json")

        scores = subparsers.add_parser("import-scores", help="Import official QĐ 766 scores (CSV or JSON).")
        scores.add_argument("file")
        scores.add_argument("--json", action="store_true", dest="as_json")

        subparsers.add_parser("rebuild", help="Recompute the monthly rollups from the dossiers.")
        subparsers.add_parser("check", help="Prove the rollups equal a recomputation from the dossiers.")
        subparsers.add_parser(
            "sweep-jobs", help="Fail the import jobs whose worker died (no heartbeat) or whose task was lost."
        )

        bench = subparsers.add_parser(
            "bench", help="Generate dossiers and measure import, due dates, dashboards."
        )
        bench.add_argument("--rows", type=int, default=100_000)
        bench.add_argument("--seed", type=int, default=766)
        bench.add_argument("--json", action="store_true", dest="as_json")
        feed_command.add_parser(subparsers)

        parts = subparsers.add_parser(
            "partitions", help="The dossier table's monthly partitions (PostgreSQL): list, ensure, detach."
        )
        parts.add_argument("action", choices=["list", "ensure", "detach"])
        parts.add_argument("--ahead", type=int, help="ensure: months after the current one (default 3).")
        parts.add_argument("--before", help="detach: archive every month before this one (YYYY-MM).")

    # -- import -------------------------------------------------------------------------------------

    def handle_import(
        self, *, file: str, kind: str, errors: str | None, as_json: bool, **options: Any
    ) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(name)s") % {"name": file})
        if kind == "auto":
            kind = services.guess_kind(path)
        progress = None if as_json else _progress_bar(self.stderr)
        try:
            if kind == "procedures":
                result = services.import_procedures(path, actor=None)
            else:
                result = services.import_dossiers(path, actor=None, progress=progress)
        except (services.ImportRefused, services.UnreadableFile) as error:
            raise CommandError(str(error)) from error
        if progress:
            self.stderr.write("")
        if errors and result.errors:
            with open(errors, "w", newline="", encoding="utf-8-sig") as handle:
                writer = cells.csv_writer(handle)
                writer.writerow([_("Row"), _("Column"), _("Problem")])
                writer.writerows(result.errors)
        if as_json:
            self.print_json({"kind": kind, **result.as_dict(), "errors": result.errors[:100]})
        else:
            self.stdout.write(
                _(
                    "%(kind)s: %(rows)s rows; %(created)s created, %(updated)s updated, "
                    "%(unchanged)s unchanged; %(errors)s with errors"
                )
                % {
                    "kind": KINDS[kind],
                    "rows": count_text(result.rows),
                    "created": count_text(result.created),
                    "updated": count_text(result.updated),
                    "unchanged": count_text(result.unchanged),
                    "errors": count_text(result.error_count),
                }
            )
            self._row_errors(result.errors)
        if result.applied and kind == "dossiers":
            from cchc.onestop.ingest.store import vacuum_rollups

            vacuum_rollups()
        if not result.applied:
            raise CommandError(_("Nothing was imported: correct the rows above and import the file again."))

    # -- read side ----------------------------------------------------------------------------------

    def handle_stats(self, *, unit: str, period: str, as_json: bool, **options: Any) -> None:
        from cchc.onestop.queries import unit_stats

        when = parse_period(period)
        found = find_unit(unit, when)
        data = {"unit_code": unit, "period": when.key, **unit_stats(found, when).as_dict()}
        if as_json:
            self.print_json(data)
        else:
            self.stdout.write(f"{found.name} ({unit}), {when.label}")
            for key, label in STATS_LABELS.items():
                value = data[key]
                shown = count_text(value) if key in STATS_COUNTS else percent_text(value)
                self.stdout.write(f"  {label}: {shown}")

    def handle_index(self, *, unit: str, period: str, as_json: bool, **options: Any) -> None:
        from cchc.onestop.queries.index import index_report

        when = parse_period(period)
        data = index_report(find_unit(unit, when), when)
        if as_json:
            self.print_json(data)
        else:

            def shown(value: Any) -> str:
                return "–" if value is None else str(value)

            self.stdout.write(
                _(
                    "%(unit)s %(period)s: total %(total)s / %(max)s "
                    "(official %(official)s, difference %(difference)s)"
                )
                % {
                    "unit": unit,
                    "period": when.label,
                    "total": shown(data["total"]),
                    "max": shown(data["max_available"]),
                    "official": shown(data["official_total"]),
                    "difference": shown(data["total_difference"]),
                }
            )
            for group in data["groups"]:
                self.stdout.write(
                    f"  {group['code']:>5} {shown(group['score'])} / {group['max']} "
                    + _("(official %(official)s)") % {"official": shown(group["official"])}
                )

    def handle_import_scores(self, *, file: str, as_json: bool, **options: Any) -> None:
        from cchc.onestop.services.official import import_official_scores

        try:
            result = import_official_scores(Path(file), actor=None)
        except (services.ImportRefused, services.UnreadableFile) as error:
            raise CommandError(str(error)) from error
        if as_json:
            self.print_json({**result.as_dict(), "errors": result.errors[:100]})
        else:
            self.stdout.write(
                _("%(rows)s rows; %(created)s created, %(updated)s updated")
                % {
                    "rows": count_text(result.rows),
                    "created": count_text(result.created),
                    "updated": count_text(result.updated),
                }
            )
            self._row_errors(result.errors)
        if not result.applied:
            raise CommandError(_("Nothing was imported."))

    def handle_rebuild(self, **options: Any) -> None:
        rows = services.rebuild_rollups(actor=None)
        self.stdout.write(
            _("Rollups rebuilt: %(field)s rows by field, %(unit)s rows by unit.")
            % {"field": count_text(rows["field_rows"]), "unit": count_text(rows["unit_rows"])}
        )

    def handle_check(self, **options: Any) -> None:
        differences = services.check_rollups()
        self.print_json(differences)
        if differences["field_rows"] or differences["unit_rows"]:
            raise CommandError(_("The rollups differ from the dossiers: run `cchc onestop rebuild`."))

    def handle_sweep_jobs(self, **options: Any) -> None:
        failed = sweep_jobs()
        for job in failed:
            self.stdout.write(
                _("Import %(number)s (%(name)s): failed, its worker stopped")
                % {"number": job.pk, "name": job.original_name}
            )
        self.stdout.write(_("%(count)s import(s) marked failed.") % {"count": count_text(len(failed))})

    def _row_errors(self, errors: list[tuple[int, str, str]]) -> None:
        for row, column, message in errors[:20]:
            self.stdout.write(
                "  "
                + _("row %(row)s, %(column)s: %(message)s")
                % {"row": row, "column": column, "message": message}
            )

    def handle_feed(self, **options: Any) -> None:
        feed_command.handle(self, **options)

    def handle_partitions(
        self, *, action: str, ahead: int | None, before: str | None, **options: Any
    ) -> None:
        from cchc.onestop.services import partitions

        try:
            if action == "list":
                for state in partitions.month_states():
                    rows = "?" if state.rows < 0 else count_text(state.rows)
                    label = str(MONTH_STATES.get(state.state, state.state))
                    self.stdout.write(f"{state.month:%m/%Y}  {label:<9}  {rows:>12}  {state.name}")
            elif action == "ensure":
                created = partitions.ensure_ahead(ahead)
                self.stdout.write(
                    _("%(count)s partition(s) created: %(months)s")
                    % {"count": len(created), "months": ", ".join(f"{m:%m/%Y}" for m in created)}
                )
            else:
                if not before:
                    raise CommandError(_("detach needs --before and a month, YYYY-MM."))
                try:
                    month = datetime.date.fromisoformat(f"{before}-01")
                except ValueError as error:
                    raise CommandError(
                        _("--before takes a month, YYYY-MM, not “%(value)s”.") % {"value": before}
                    ) from error
                archived = partitions.detach_before(month, actor=None)
                for item in archived:
                    self.stdout.write(
                        _("%(month)s: %(rows)s dossiers detached into the table %(table)s")
                        % {
                            "month": f"{item.month:%m/%Y}",
                            "rows": count_text(item.rows),
                            "table": item.table_name,
                        }
                    )
        except partitions.PartitionRefused as error:
            raise CommandError(str(error)) from error

    def handle_bench(self, *, rows: int, seed: int, as_json: bool, **options: Any) -> None:
        # The benchmark is a development tool that sits above the domain apps (`cchc bench onestop`);
        # calling it by name keeps this module from importing it.
        arguments = ["onestop", "--rows", str(rows), "--seed", str(seed)] + (["--json"] if as_json else [])
        call_command("bench", *arguments, stdout=self.stdout, stderr=self.stderr)
