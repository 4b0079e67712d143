"""`cchc surveys new-campaign | open | close | import-responses | results | import-feedback`."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from cchc.core.commands import SubcommandCommand, read_file, refusal
from cchc.core.periods import Period
from cchc.surveys.indices import index_table
from cchc.surveys.models import CampaignStatus, SurveyCampaign
from cchc.surveys.services import sipas
from cchc.surveys.services.feedback_import import import_feedback
from cchc.surveys.services.imports import import_responses
from cchc.units.models import Unit
from cchc.units.queries import organising_province


def _campaign(code: str) -> SurveyCampaign:
    campaign = SurveyCampaign.objects.filter(code=code).first()
    if campaign is None:
        raise CommandError(f"There is no survey with the code {code!r}.")
    return campaign


class Command(SubcommandCommand):
    help = "SIPAS satisfaction surveys and citizen feedback."

    def add_subcommands(self, subparsers: Any) -> None:
        new = subparsers.add_parser("new-campaign", help="Create a survey from a shipped template.")
        new.add_argument("--template", default="sipas")
        new.add_argument("--year", type=int, required=True)
        new.add_argument("--code", required=True)
        new.add_argument("--title", default="")
        new.add_argument("--organiser", help="Code of the organising province (default: the only one).")
        for name, text in (("open", "Start collecting answers."), ("close", "Stop collecting answers.")):
            sub = subparsers.add_parser(name, help=text)
            sub.add_argument("--campaign", required=True)
        imports = subparsers.add_parser("import-responses", help="Import answers (CSV or XLSX, long format).")
        imports.add_argument("file")
        results = subparsers.add_parser(
            "results", help="Indices per unit with sample size and 95 % interval."
        )
        results.add_argument("--campaign", required=True)
        results.add_argument("--by", choices=["unit", "field", "channel"], default="unit")
        results.add_argument("--period", help="YYYY, YYYY-Qn or YYYY-MM: only answers given then.")
        results.add_argument("--json", action="store_true", dest="as_json")
        feedback = subparsers.add_parser("import-feedback", help="Import citizen feedback (CSV or XLSX).")
        feedback.add_argument("file")
        feedback.add_argument("--organiser")

    def handle_new_campaign(
        self, *, template: str, year: int, code: str, title: str, organiser: str | None, **options: Any
    ) -> None:
        try:
            campaign = sipas.new_campaign(
                actor=None,
                organiser=_province(organiser),
                template=template,
                year=year,
                code=code,
                title=title,
            )
        except ValidationError as error:
            raise refusal(error) from error
        self.stdout.write(
            f"{campaign.code}: {campaign.title} — {campaign.questions.count()} questions, "
            f"{campaign.quotas.count()} units"
        )

    def handle_open(self, *, campaign: str, **options: Any) -> None:
        sipas.set_status(actor=None, campaign=_campaign(campaign), status=CampaignStatus.OPEN)
        self.stdout.write(f"{campaign}: open")

    def handle_close(self, *, campaign: str, **options: Any) -> None:
        sipas.set_status(actor=None, campaign=_campaign(campaign), status=CampaignStatus.CLOSED)
        self.stdout.write(f"{campaign}: closed")

    def handle_import_responses(self, *, file: str, **options: Any) -> None:
        try:
            summary = import_responses(actor=None, content=read_file(file), filename=file)
        except ValidationError as error:
            raise refusal(error) from error
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in summary.items()))

    def handle_results(
        self, *, campaign: str, by: str, period: str | None, as_json: bool, **options: Any
    ) -> None:
        try:
            chosen = Period.parse(period) if period else None
        except ValueError as error:
            raise CommandError(str(error)) from error
        rows = []
        for row in index_table(_campaign(campaign), by=by, period=chosen):
            entry: dict[str, Any] = (
                {"unit_code": row.unit.code if row.unit else None} if by == "unit" else {by: row.key}
            )
            entry |= {
                "n": row.n,
                "overall": _text(row.overall),
                "elements": {code: _text(value) for code, value in row.elements.items()},
                "ci_low": _text(row.ci_low),
                "ci_high": _text(row.ci_high),
                "hidden_below": row.hidden_below,
            }
            if by == "unit":
                entry |= {"quota": row.quota, "below_quota": row.below_quota}
            rows.append(entry)
        if as_json:
            self.print_json(rows)
            return
        for entry in rows:
            key = entry.get("unit_code") or entry.get(by)
            if entry["hidden_below"]:
                self.stdout.write(f"{key}: n={entry['n']} không công bố (dưới {entry['hidden_below']} phiếu)")
                continue
            self.stdout.write(
                f"{key}: n={entry['n']} overall={entry['overall']} [{entry['ci_low']}–{entry['ci_high']}]"
            )

    def handle_import_feedback(self, *, file: str, organiser: str | None, **options: Any) -> None:
        try:
            summary = import_feedback(
                actor=None, organiser=_province(organiser), content=read_file(file), filename=file
            )
        except ValidationError as error:
            raise refusal(error) from error
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in summary.items()))


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _province(code: str | None) -> Unit:
    try:
        return organising_province(code)
    except LookupError as error:
        raise CommandError(str(error)) from error
