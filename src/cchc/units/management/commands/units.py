"""`cchc units load-official | import | export`: units from the official data set and from spreadsheets."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.core.commands import SubcommandCommand, count_text
from cchc.units.models import UnitType
from cchc.units.services import importing, national, official

# What the load counts the units it created by, in the order of the tiers (the type's own labels, such
# as "District (until 30/06/2025)", read badly inside a count).
TIERS: dict[str, Any] = {
    UnitType.PROVINCE: gettext_lazy("province level"),
    UnitType.DISTRICT: gettext_lazy("district level"),
    UnitType.COMMUNE: gettext_lazy("commune level"),
}


def _seconds(value: float) -> str:
    return number_format(round(value, 1), decimal_pos=1, use_l10n=True, force_grouping=True)


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
            raise CommandError(
                _("Nothing was loaded: %(reasons)s") % {"reasons": "; ".join(error.messages)}
            ) from error
        if as_json:
            self.print_json(result.as_dict())
            return
        self._summary(result)

    def _summary(self, result: official.LoadResult) -> None:
        self.stdout.write(f"{result.province_code} {result.province_name}")
        if result.nothing_to_do:
            self.stdout.write(
                _("Nothing to do: %(units)s units and %(links)s lineage links are already loaded.")
                % {"units": count_text(result.units_existing), "links": count_text(result.links_unchanged)}
            )
        else:
            self.stdout.write(_units_line(result.units_created, result.units_existing))
            self.stdout.write(_links_line(result.links_created, result.links_updated, result.links_unchanged))
        self.stdout.write(
            _("Legal documents created: %(count)s; time taken: %(seconds)s s")
            % {"count": count_text(result.legal_documents_created), "seconds": _seconds(result.seconds)}
        )

    def _load_all(self, as_json: bool) -> None:
        loaded: list[str] = []

        def progress(result: official.LoadResult) -> None:
            loaded.append(result.province_code)
            if not as_json:
                self._summary(result)

        try:
            load = national.load_all(actor=None, progress=progress)
        except ValidationError as error:
            # The provinces load in code order, each in its own transaction: the one that failed is the
            # next after those reported, and naming it tells the operator where to look.
            code, name = official.province_choices()[len(loaded)]
            raise CommandError(
                _(
                    "Stopped at %(code)s %(name)s, which was not loaded: %(reasons)s. The %(count)s "
                    "provinces before it are loaded; run the command again once this is put right."
                )
                % {"code": code, "name": name, "reasons": "; ".join(error.messages), "count": len(loaded)}
            ) from error
        if as_json:
            self.print_json(load.as_dict())
            return
        total = load.totals()
        self.stdout.write(_("Total: %(count)s provinces") % {"count": count_text(total["provinces"])})
        self.stdout.write(_units_line(total["units_created"], total["units_existing"]))
        self.stdout.write(
            _links_line(total["links_created"], total["links_updated"], total["links_unchanged"])
        )
        self.stdout.write(
            _("Legal documents created: %(count)s; time taken: %(seconds)s s")
            % {"count": count_text(total["legal_documents_created"]), "seconds": _seconds(total["seconds"])}
        )

    def handle_import(self, *, file: str, dry_run: bool, as_json: bool, **options: Any) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(name)s") % {"name": file})
        result = importing.import_file(path.read_bytes(), path.name, actor=None, dry_run=dry_run)
        if as_json:
            self.print_json(result.as_dict())
        elif result.ok:
            counts = {
                "created": count_text(result.created),
                "updated": count_text(result.updated),
                "unchanged": count_text(result.unchanged),
            }
            if dry_run:
                line = _(
                    "Trial run, nothing written: would create %(created)s, update %(updated)s; "
                    "%(unchanged)s unchanged."
                )
            else:
                line = _("Created %(created)s, updated %(updated)s; %(unchanged)s unchanged.")
            self.stdout.write(line % counts)
        else:
            for error in result.errors:
                where = _("row %(row)s") % {"row": error.row} if error.row else _("the file")
                column = f" [{error.column}]" if error.column else ""
                self.stderr.write(f"{where}{column}: {error.message}")
        if not result.ok:
            raise CommandError(
                _("%(count)s error(s); nothing was imported.") % {"count": count_text(len(result.errors))}
            )

    def handle_export(self, *, file: str, province: str | None, **options: Any) -> None:
        if importing.file_format(file) is None:
            raise CommandError(_("The export file must end in .csv or .xlsx."))
        try:
            count = importing.export_file(file, province)
        except importing.UnknownProvince as error:
            raise CommandError(
                _("No province ever carried the code %(code)s.") % {"code": province}
            ) from error
        self.stdout.write(
            _("Exported %(count)s units to %(name)s.") % {"count": count_text(count), "name": file}
        )


def _units_line(created: dict[str, int], existing: int) -> str:
    """Units created, by tier (province first), and those found already loaded."""
    total = sum(created.values())
    if not total:
        return _("Units created: 0; already there: %(existing)s") % {"existing": count_text(existing)}
    tiers: list[str] = [kind for kind in TIERS if created.get(kind)]
    tiers += sorted(kind for kind, count in created.items() if count and kind not in TIERS)
    by_tier = ", ".join(
        _("%(tier)s: %(count)s")
        % {"tier": TIERS.get(kind) or UnitType(kind).label, "count": count_text(created[kind])}
        for kind in tiers
    )
    return _("Units created: %(total)s (%(by_tier)s); already there: %(existing)s") % {
        "total": count_text(total),
        "by_tier": by_tier,
        "existing": count_text(existing),
    }


def _links_line(created: int, updated: int, unchanged: int) -> str:
    return _("Lineage links created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s") % {
        "created": count_text(created),
        "updated": count_text(updated),
        "unchanged": count_text(unchanged),
    }
