"""`cchc parindex import-criteria | export-criteria | default-criteria | clone-criteria | import-scores |
results`."""

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from cchc.core.commands import SubcommandCommand, read_file, refusal
from cchc.parindex.models import Band, Campaign, CriteriaSet
from cchc.parindex.queries.results import unit_results
from cchc.parindex.services import bands as band_services
from cchc.parindex.services import criteria as criteria_services
from cchc.parindex.services.results import import_scores
from cchc.units.models import Unit, UnitType
from cchc.units.queries import organising_province

CENT = Decimal("0.01")


class Command(SubcommandCommand):
    help = "PAR Index: criteria sets, past years' scores and results."

    def add_subcommands(self, subparsers: Any) -> None:
        types = [choice.value for choice in UnitType]
        imports = subparsers.add_parser("import-criteria", help="Import a criteria set from CSV or XLSX.")
        imports.add_argument("file")
        imports.add_argument("--year", type=int, required=True)
        imports.add_argument("--unit-type", required=True, choices=types)
        imports.add_argument("--title", default="")

        export = subparsers.add_parser("export-criteria", help="Write a criteria set as CSV or XLSX.")
        export.add_argument("file", help="Where to write; the suffix .csv or .xlsx picks the format.")
        export.add_argument("--year", type=int, required=True)
        export.add_argument("--unit-type", required=True, choices=types)

        default = subparsers.add_parser(
            "default-criteria", help="Load the shipped set for agencies, communes or provinces."
        )
        default.add_argument("--year", type=int, required=True)
        default.add_argument(
            "--unit-type",
            required=True,
            choices=[UnitType.AGENCY, UnitType.COMMUNE, UnitType.PROVINCE],
            help="province: the provincial PAR Index, on the national instance only.",
        )

        clone = subparsers.add_parser("clone-criteria", help="Copy a year's set to another year.")
        clone.add_argument("--from-year", type=int, required=True)
        clone.add_argument("--year", type=int, required=True)
        clone.add_argument("--unit-type", required=True, choices=types)

        scores = subparsers.add_parser("import-scores", help="Import a past year's scores from CSV or XLSX.")
        scores.add_argument("file")
        scores.add_argument("--year", type=int, required=True)
        scores.add_argument("--organiser", help="Code of the organising province (default: the only one).")

        bands_parser = subparsers.add_parser("bands", help="Show or set a year's classification bands.")
        bands_parser.add_argument("--year", type=int, required=True)
        bands_parser.add_argument("--set", nargs="+", metavar="LABEL=MIN", help='e.g. "Xuất sắc=90" "Tốt=80"')
        bands_parser.add_argument("--default", action="store_true", help="Load the shipped bands.")
        bands_parser.add_argument("--legal-basis", default="")

        results = subparsers.add_parser(
            "results", help="Scores, indices, ranks and bands from the final scores."
        )
        results.add_argument("--year", type=int, required=True)
        results.add_argument("--unit-type", choices=types)
        results.add_argument("--organiser")
        results.add_argument("--json", action="store_true", dest="as_json")

    def handle_import_criteria(
        self, *, file: str, year: int, unit_type: str, title: str, **options: Any
    ) -> None:
        try:
            criteria_set = criteria_services.import_criteria(
                actor=None,
                content=read_file(file),
                filename=file,
                year=year,
                unit_type=unit_type,
                title=title,
            )
        except ValidationError as error:
            raise refusal(error) from error
        self._done(criteria_set)

    def _done(self, criteria_set: CriteriaSet) -> None:
        leaves = criteria_set.criteria.exclude(method="").count()
        self.stdout.write(
            f"{criteria_set.title} ({criteria_set.year}, {criteria_set.unit_type}): "
            f"{criteria_set.criteria.count()} rows, {leaves} scored, maximum {criteria_set.maximum()}"
        )

    def _set(self, year: int, unit_type: str) -> CriteriaSet:
        criteria_set = CriteriaSet.objects.filter(year=year, unit_type=unit_type).first()
        if criteria_set is None:
            raise CommandError(f"There is no {year} criteria set for {unit_type}.")
        return criteria_set

    def handle_export_criteria(self, *, file: str, year: int, unit_type: str, **options: Any) -> None:
        criteria_set = self._set(year, unit_type)
        suffix = Path(file).suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise CommandError("Write to a .csv or .xlsx file.")
        data = (
            criteria_services.export_xlsx(criteria_set)
            if suffix == ".xlsx"
            else criteria_services.export_csv(criteria_set)
        )
        Path(file).write_bytes(data)
        self.stdout.write(f"{file}: {criteria_set.criteria.count()} rows")

    def handle_default_criteria(self, *, year: int, unit_type: str, **options: Any) -> None:
        try:
            self._done(criteria_services.load_default_set(actor=None, year=year, unit_type=unit_type))
        except ValidationError as error:
            raise refusal(error) from error

    def handle_clone_criteria(self, *, from_year: int, year: int, unit_type: str, **options: Any) -> None:
        try:
            self._done(
                criteria_services.clone_set(actor=None, source=self._set(from_year, unit_type), year=year)
            )
        except ValidationError as error:
            raise refusal(error) from error

    def handle_import_scores(self, *, file: str, year: int, organiser: str | None, **options: Any) -> None:
        try:
            campaign = import_scores(
                actor=None, organiser=_province(organiser), year=year, content=read_file(file), filename=file
            )
        except ValidationError as error:
            raise refusal(error) from error
        self.stdout.write(f"{campaign.title}: {campaign.results.count()} units with results")

    def handle_bands(
        self, *, year: int, set: list[str] | None, default: bool, legal_basis: str, **options: Any
    ) -> None:
        try:
            if default:
                band_services.load_default_bands(actor=None, year=year)
            elif set:
                pairs = [text.rpartition("=") for text in set]
                band_services.set_bands(
                    actor=None,
                    year=year,
                    bands=[{"label": label, "min_index": minimum} for label, _eq, minimum in pairs],
                    legal_basis=legal_basis,
                )
        except ValidationError as error:
            raise refusal(error) from error
        for band in Band.objects.filter(year=year):
            self.stdout.write(f"{band.label}: ≥ {band.min_index}")

    def handle_results(
        self, *, year: int, unit_type: str | None, organiser: str | None, as_json: bool, **options: Any
    ) -> None:
        campaign = Campaign.objects.filter(organiser=_province(organiser), year=year).first()
        if campaign is None:
            raise CommandError(f"There is no PAR Index campaign for {year}.")
        rows = [
            {
                "unit_code": result.unit.code,
                "unit_name": result.unit.name,
                "unit_type": result.unit_type,
                "score": str(result.score.quantize(CENT)),
                "max": str(result.max_points.quantize(CENT)),
                "index": None if result.index_shown is None else str(result.index_shown),
                "rank": result.rank,
                "band": result.band,
            }
            for result in unit_results(campaign, unit_type)
        ]
        if as_json:
            self.print_json(rows)
            return
        for row in rows:
            self.stdout.write(
                f"{row['rank'] or '-':>4}  {row['unit_code']:<10} {row['index'] or '—':>7} %  "
                f"{row['score']}/{row['max']}  {row['band']}  {row['unit_name']}"
            )


def _province(code: str | None) -> Unit:
    try:
        return organising_province(code)
    except LookupError as error:
        raise CommandError(str(error)) from error
