"""Fixing a campaign's results at finalisation, and loading past years kept in spreadsheets."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cchc.accounts.permissions import PLAN, require
from cchc.core import audit
from cchc.core.tables import read_table
from cchc.kit.parsers import parse_number
from cchc.parindex.models import Assessment, AssessmentStatus, Campaign, Item, Phase, Result
from cchc.parindex.queries.results import unit_results
from cchc.parindex.scoring import check_points
from cchc.parindex.services.common import ImportRefused
from cchc.parindex.services.criteria import parse_flag
from cchc.parindex.services.opening import create_campaign
from cchc.units.models import Unit

SCORE_COLUMNS = ["unit_code", "criterion_code", "self_score", "appraised_score", "not_applicable"]


def store_results(campaign: Campaign) -> int:
    """Replace the campaign's fixed results by a computation from the final scores (inside a service)."""
    Result.objects.filter(campaign=campaign).delete()
    rows = [
        Result(
            campaign=campaign,
            unit=result.unit,
            unit_type=result.unit_type,
            score=result.score,
            max_points=result.max_points,
            index=(result.index or Decimal(0)).quantize(Decimal("1E-20")),
            rank=result.rank or 0,
            band=result.band,
            areas=[
                {
                    "code": area.code,
                    "title": area.title,
                    "score": str(area.score),
                    "max": str(area.max_points),
                }
                for area in result.areas
            ],
        )
        for result in unit_results(campaign)
        if result.max_points
    ]
    Result.objects.bulk_create(rows)
    return len(rows)


def _score(value: Any) -> Decimal | None:
    return None if str(value).strip() == "" else parse_number(value, field="score")


@transaction.atomic
def import_scores(*, actor: Any, organiser: Unit, year: int, content: bytes, filename: str) -> Campaign:
    """A past year's scores from a spreadsheet: a completed, published campaign with its results fixed.

    The year's criteria sets must exist; every row is checked before anything is written.
    """
    require(actor, PLAN, organiser)
    existing = Campaign.objects.filter(organiser=organiser, year=year).first()
    if existing is not None and not existing.imported:
        raise ValidationError(
            _("A campaign for %(year)s is run in the system; its scores cannot be overwritten by a file.")
            % {"year": year}
        )
    records, problems = read_table(content, filename, SCORE_COLUMNS)
    if problems:
        raise ImportRefused([(problem.row, problem.column, problem.message) for problem in problems])
    if existing is not None:
        existing.delete()
    campaign = create_campaign(
        actor=actor,
        organiser=organiser,
        year=year,
        title=_("PAR Index %(year)s (imported)") % {"year": year},
        imported=True,
    )
    items = {
        (item.assessment.unit.code, item.criterion.code): item
        for item in Item.objects.filter(assessment__campaign=campaign).select_related(
            "assessment__unit", "criterion"
        )
    }
    errors: list[tuple[int | None, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for record in records:
        number = record["_row"]
        key = (str(record["unit_code"]).strip(), str(record["criterion_code"]).strip())
        item = items.get(key)
        if item is None:
            errors.append(
                (
                    number,
                    "criterion_code",
                    _("No scored unit %(unit)s with criterion %(code)s in %(year)s.")
                    % {"unit": key[0], "code": key[1], "year": year},
                )
            )
            continue
        if key in seen:
            errors.append((number, "criterion_code", _("This unit and criterion appear twice.")))
            continue
        seen.add(key)
        try:
            not_applicable = parse_flag(record["not_applicable"])
        except ValidationError:
            errors.append((number, "not_applicable", _("Write 1 or 0 (or leave empty).")))
            continue
        try:
            self_score = _score(record["self_score"])
            appraised = _score(record["appraised_score"])
            for value in (self_score, appraised):
                if value is not None:
                    check_points(item.criterion, value)
        except ValidationError as error:
            errors.append((number, "appraised_score", " ".join(error.messages)))
            continue
        item.not_applicable = not_applicable
        item.self_score = self_score
        item.appraised_score = appraised
        item.save(update_fields=["not_applicable", "self_score", "appraised_score"])
    if errors:
        raise ImportRefused(errors)
    # Units the file does not mention were not scored that year: they take no rank.
    mentioned = {unit_code for unit_code, _code in seen}
    Assessment.objects.filter(campaign=campaign).exclude(unit__code__in=mentioned).delete()
    Assessment.objects.filter(campaign=campaign).update(status=AssessmentStatus.SUBMITTED)
    campaign.phase = Phase.PUBLISHED
    campaign.save(update_fields=["phase"])
    stored = store_results(campaign)
    audit.record(
        actor=actor,
        action="par_campaign.import_scores",
        obj=campaign,
        unit=organiser,
        after={"year": year, "rows": len(records), "results": stored},
    )
    return campaign
