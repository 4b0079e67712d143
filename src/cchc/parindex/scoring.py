"""The scoring methods: what a unit reports on a leaf -> points. The numbers come from the criterion row."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cchc.kit import wording
from cchc.kit.parsers import parse_number, parse_yes_no
from cchc.parindex.models import Criterion, Method

HUNDRED = Decimal(100)


def rate_points(rate: Decimal, max_points: Decimal, threshold: Decimal | None) -> Decimal:
    """The QĐ 766 formula (domain.md §3.3): max from T up, R/T × max below it; R × max / 100 without T."""
    rate = min(max(rate, Decimal(0)), HUNDRED)
    if threshold:
        return max_points if rate >= threshold else rate / threshold * max_points
    return rate * max_points / HUNDRED


def parse_tiers(text: str) -> list[dict[str, str]]:
    """`Đúng hạn=100|Chậm=50|Không thực hiện=0` -> [{"label": "Đúng hạn", "percent": "100"}, …]."""
    tiers = []
    for part in (text or "").split("|"):
        if not part.strip():
            continue
        label, separator, percent = part.rpartition("=")
        if not separator or not label.strip():
            raise ValidationError(
                {"tiers": _("Write tiers as label=percent separated by |, e.g. Đúng hạn=100|Chậm=50.")}
            )
        value = parse_number(percent, field="tiers")
        if not 0 <= value <= 100:
            raise ValidationError({"tiers": _("A tier's percent must lie between 0 and 100.")})
        tiers.append({"label": label.strip(), "percent": str(value)})
    return tiers


def format_tiers(tiers: list[dict[str, str]]) -> str:
    return "|".join(f"{tier['label']}={tier['percent']}" for tier in tiers)


def points_for(criterion: Criterion, reported: str) -> Decimal:
    """The points a unit's report earns on a leaf that it scores itself (not metric, not survey).

    `reported` is what the unit entered: points (manual, bonus, penalty), yes/no, a tier's label,
    a rate in %, or a number of occurrences. Bonus and penalty points are magnitudes; the sign
    comes from the method when totals are made.
    """
    reported = (reported or "").strip()
    if not reported:
        raise ValidationError(
            {"score": _("Enter a value for criterion %(code)s.") % {"code": criterion.code}}
        )
    maximum = criterion.max_points
    method = criterion.method
    if method in (Method.MANUAL, Method.BONUS, Method.PENALTY):
        points = parse_number(reported, field="score")
        if not 0 <= points <= maximum:
            raise ValidationError(
                {
                    "score": _("The score of %(code)s must lie between 0 and %(max)s.")
                    % {"code": criterion.code, "max": wording.number(maximum, 2)}
                }
            )
        return points
    if method == Method.YES_NO:
        said = parse_yes_no(reported)
        if said is not None:
            return maximum if said else Decimal(0)
        raise ValidationError({"score": _("Answer %(code)s with yes or no.") % {"code": criterion.code}})
    if method == Method.TIERED:
        for tier in criterion.tiers:
            if tier["label"].casefold() == reported.casefold():
                return maximum * Decimal(tier["percent"]) / HUNDRED
        labels = ", ".join(tier["label"] for tier in criterion.tiers)
        raise ValidationError(
            {
                "score": _("Choose one of: %(labels)s for %(code)s.")
                % {"labels": labels, "code": criterion.code}
            }
        )
    if method == Method.RATE:
        rate = parse_number(reported, field="score")
        if not 0 <= rate <= 100:
            raise ValidationError({"score": _("A rate must lie between 0 and 100 %.")})
        return rate_points(rate, maximum, criterion.threshold)
    if method == Method.DEDUCTION:
        occurrences = parse_number(reported, field="score")
        if occurrences < 0 or occurrences != occurrences.to_integral_value():
            raise ValidationError(
                {"score": _("The number of occurrences must be a whole number, 0 or more.")}
            )
        floor = criterion.floor if criterion.floor is not None else Decimal(0)
        return max(maximum - occurrences * (criterion.per_occurrence or Decimal(0)), floor)
    raise ValidationError(
        {"score": _("Criterion %(code)s is scored by the system, not entered.") % {"code": criterion.code}}
    )


def check_points(criterion: Criterion, points: Decimal) -> Decimal:
    """An appraiser's score: any number from 0 to the leaf's maximum."""
    if not 0 <= points <= criterion.max_points:
        raise ValidationError(
            {
                "score": _("The score of %(code)s must lie between 0 and %(max)s.")
                % {"code": criterion.code, "max": wording.number(criterion.max_points, 2)}
            }
        )
    return points
