"""`cchc units load-official | import | export`: units from the official data set and from spreadsheets."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from cchc.core.commands import SubcommandCommand
from cchc.units.services import importing, national, official


class Command(SubcommandCommand):
    help = "Administrative units: load the official list of a province, import and export units."

    def add_subcommands(self, subparsers: Any) -> None:
        load = subparsers.add_parser(
            "load-official",
            help="Load a province's old and new units and their lineage from vietnamadminunits.",
        )
        which = load.add_mutually_exclusive_group(required=True)
        which.add_argument("--province", help="Current two-digit province code, e.g. 56.")
        which.add_argument(
            "--all",
            action="store_true",
            dest="all_provinces",
            help="Every current province (national instance).",
        )
        load.add_argument("--json", action="store_true", dest="as_json", help="Print the summary as JSON.")

        imports = subparsers.add_parser("import", help="Import units from a CSV or XLSX file.")
        imports.add_argument("file", help="A .csv or .xlsx file with columns " + ",".join(importing.COLUMNS))
        imports.add_argument("--dry-run", action="store_true", help="Check the file and write nothing.")
        imports.add_argument("--json", action="store_true", dest="as_json", help="Print the result as JSON.")

        export = subparsers.add_parser(
            "export", help="Export units to a CSV or XLSX file in the import format."
        )
        export.add_argument("file", help="The .csv or .xlsx file to write.")
        export.add_argument("--province", help="Only the provinces that carried this code, and their units.")

    def handle_load_official(
        self, *, province: str | None, all_provinces: bool, as_json: bool, **options: Any
    ) -> None:
        if all_provinces:
            self._load_all(as_json)
            return
        try:
            result = official.load_province(province, actor=None)
        except official.UnknownProvince as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError(f"Nothing was loaded: {'; '.join(error.messages)}") from error
        if as_json:
            self.print_json(result.as_dict())
            return
        self._summary(result)

    def _summary(self, result: official.LoadResult) -> None:
        data = result.as_dict()
        self.stdout.write(f"{result.province_code} {result.province_name}")
        if result.nothing_to_do:
            self.stdout.write(
                f"Nothing to do: {result.units_existing} units and {result.links_unchanged} lineage links"
                " already loaded."
            )
        else:
            by_type = ", ".join(f"{count} {kind}" for kind, count in data["units_created"].items()) or "-"
            self.stdout.write(
                f"Units created: {data['units_created_total']} ({by_type}); already there: "
                f"{result.units_existing}"
            )
            self.stdout.write(
                f"Lineage links created: {result.links_created}, updated: {result.links_updated}, "
                f"unchanged: {result.links_unchanged}"
            )
        self.stdout.write(
            f"Legal documents created: {result.legal_documents_created}; {result.seconds:.1f} s"
        )

    def _load_all(self, as_json: bool) -> None:
        def progress(result: official.LoadResult) -> None:
            if not as_json:
                self._summary(result)

        try:
            load = national.load_all(actor=None, progress=progress)
        except ValidationError as error:
            raise CommandError(
                f"Stopped; the provinces before this one are loaded: {'; '.join(error.messages)}"
            ) from error
        if as_json:
            self.print_json(load.as_dict())
            return
        total = load.totals()
        self.stdout.write(
            f"Total: {total['provinces']} provinces; units created: {total['units_created_total']}, "
            f"already there: {total['units_existing']}; lineage links created: {total['links_created']}, "
            f"updated: {total['links_updated']}, unchanged: {total['links_unchanged']}; "
            f"{total['seconds']:.1f} s"
        )

    def handle_import(self, *, file: str, dry_run: bool, as_json: bool, **options: Any) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        result = importing.import_file(path.read_bytes(), path.name, actor=None, dry_run=dry_run)
        if as_json:
            self.print_json(result.as_dict())
        elif result.ok:
            verb = "Would create" if dry_run else "Created"
            self.stdout.write(
                f"{verb} {result.created}, {'would update' if dry_run else 'updated'} {result.updated}, "
                f"unchanged {result.unchanged}."
            )
        else:
            for error in result.errors:
                where = f"row {error.row}" if error.row else "file"
                column = f" [{error.column}]" if error.column else ""
                self.stderr.write(f"{where}{column}: {error.message}")
        if not result.ok:
            raise CommandError(f"{len(result.errors)} error(s); nothing was imported.")

    def handle_export(self, *, file: str, province: str | None, **options: Any) -> None:
        if importing.file_format(file) is None:
            raise CommandError("The export file must end in .csv or .xlsx")
        try:
            count = importing.export_file(file, province)
        except importing.UnknownProvince as error:
            raise CommandError(f"No province ever carried the code {province}.") from error
        self.stdout.write(f"Exported {count} units to {file}.")
