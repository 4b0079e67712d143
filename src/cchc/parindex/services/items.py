"""A unit's scorecard items: self-assessment with evidence, submission by the leader, appraisal,
the unit's one explanation, and the final second appraisal.

Every save names the item version it was based on; a save based on an older version is refused
(`Conflict`), so two people editing one item at once cannot overwrite each other unseen.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.permissions import APPRAISE, APPROVE, ENTER, require
from cchc.core import audit
from cchc.core.evidence import check_evidence
from cchc.kit.parsers import parse_number
from cchc.parindex.models import (
    COMPUTED,
    Assessment,
    AssessmentStatus,
    Campaign,
    Evidence,
    Item,
    Method,
    Phase,
)
from cchc.parindex.queries.automatic import measure_many
from cchc.parindex.scoring import check_points, points_for
from cchc.parindex.services.common import Conflict, require_phase

ITEM_FIELDS = [
    "not_applicable",
    "self_input",
    "self_score",
    "unit_note",
    "auto_value",
    "appraised_score",
    "appraisal_reason",
    "explanation",
    "second_score",
    "second_reason",
]
CENT = Decimal("0.01")


def item_snapshot(item: Item) -> dict[str, Any]:
    return audit.snapshot(item, ITEM_FIELDS)


def _locked(item: Item, expected_version: int | None) -> Item:
    fresh = (
        Item.objects.select_for_update()
        .select_related("criterion", "assessment__unit", "assessment__campaign__organiser")
        .get(pk=item.pk)
    )
    if expected_version is not None and fresh.version != expected_version:
        raise Conflict(
            _(
                "Someone else saved criterion %(code)s while you were working on it. "
                "Reload the page to see their change; yours was not saved."
            )
            % {"code": fresh.criterion.code}
        )
    return fresh


def _save(actor: Any, item: Item, action: str, before: dict[str, Any], reason: str = "") -> Item:
    item.version += 1
    item.save()
    audit.record(
        actor=actor,
        action=action,
        obj=item,
        unit=item.assessment.unit,
        before=before,
        after=item_snapshot(item),
        reason=reason,
    )
    return item


def _require_draft(assessment: Assessment) -> None:
    if assessment.status != AssessmentStatus.DRAFT:
        raise ValidationError(_("The self-assessment has been submitted and can no longer change."))


@transaction.atomic
def self_assess(
    *,
    actor: Any,
    item: Item,
    reported: str = "",
    not_applicable: bool = False,
    note: str = "",
    expected_version: int | None = None,
) -> Item:
    """The unit's own score on a leaf: what it reports is turned into points by the leaf's method."""
    item = _locked(item, expected_version)
    require(actor, ENTER, item.assessment.unit)
    require_phase(item.assessment.campaign, Phase.SELF_ASSESSMENT)
    _require_draft(item.assessment)
    before = item_snapshot(item)
    criterion = item.criterion
    item.not_applicable = bool(not_applicable)
    item.unit_note = note.strip()
    if criterion.method in COMPUTED:
        if reported.strip():
            raise ValidationError(
                {
                    "score": _("Criterion %(code)s is scored by the system, not entered.")
                    % {"code": criterion.code}
                }
            )
    elif item.not_applicable:
        item.self_input, item.self_score = "", None
    elif reported.strip():
        item.self_input = reported.strip()
        item.self_score = points_for(criterion, reported).quantize(CENT, ROUND_HALF_UP)
    else:
        item.self_input, item.self_score = "", None
    return _save(actor, item, "par_item.self_assess", before)


@transaction.atomic
def add_evidence(*, actor: Any, item: Item, upload: Any) -> Evidence:
    item = _locked(item, None)
    require(actor, ENTER, item.assessment.unit)
    require_phase(item.assessment.campaign, Phase.SELF_ASSESSMENT)
    _require_draft(item.assessment)
    check_evidence(upload)
    evidence = Evidence.objects.create(
        item=item, file=upload, name=upload.name[:255], size=upload.size, uploaded_by=actor
    )
    before = item_snapshot(item) | {"evidence": item.evidence.count() - 1}
    audit.record(
        actor=actor,
        action="par_item.evidence",
        obj=item,
        unit=item.assessment.unit,
        before=before,
        after=item_snapshot(item) | {"evidence": item.evidence.count(), "file": evidence.name},
    )
    item.version += 1
    item.save(update_fields=["version"])
    return evidence


def missing_before_submission(assessment: Assessment) -> list[str]:
    """What keeps a self-assessment from being submitted, one message per leaf."""
    problems = []
    items = assessment.items.select_related("criterion").prefetch_related("evidence")
    for item in items:
        criterion = item.criterion
        if criterion.method in COMPUTED or item.not_applicable:
            continue
        if item.self_score is None:
            problems.append(_("%(code)s has no score.") % {"code": criterion.code})
        elif criterion.evidence_required and not item.evidence.all() and not item.unit_note:
            problems.append(
                _("%(code)s needs evidence files or a written explanation of the score.")
                % {"code": criterion.code}
            )
    return problems


@transaction.atomic
def submit_assessment(*, actor: Any, assessment: Assessment) -> Assessment:
    """The unit leader sends the self-assessment to the appraisers; it is locked from then on."""
    assessment = (
        Assessment.objects.select_for_update().select_related("campaign", "unit").get(pk=assessment.pk)
    )
    require(actor, APPROVE, assessment.unit)
    require_phase(assessment.campaign, Phase.SELF_ASSESSMENT)
    _require_draft(assessment)
    problems = missing_before_submission(assessment)
    if problems:
        raise ValidationError(problems)
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = audit.signed_in(actor)
    assessment.save()
    audit.record(
        actor=actor,
        action="par_assessment.submit",
        obj=assessment,
        unit=assessment.unit,
        before={"status": AssessmentStatus.DRAFT},
        after={"status": assessment.status, "submitted_at": assessment.submitted_at.isoformat()},
    )
    return assessment


@transaction.atomic
def appraise_item(
    *,
    actor: Any,
    item: Item,
    accept: bool,
    score: str | Decimal | None = None,
    reason: str = "",
    not_applicable: bool | None = None,
    expected_version: int | None = None,
) -> Item:
    """Accept the unit's score, or set another one with the reason; survey leaves are not appraised."""
    item = _locked(item, expected_version)
    require(actor, APPRAISE, item.assessment.unit)
    require_phase(item.assessment.campaign, Phase.APPRAISAL)
    if item.criterion.method == Method.SURVEY:
        raise ValidationError(_("Survey criteria are scored from the survey answers."))
    before = item_snapshot(item)
    if accept:
        if item.self_score is None and not item.not_applicable:
            raise ValidationError(
                {"score": _("%(code)s has no self-assessed score to accept.") % {"code": item.criterion.code}}
            )
        item.appraised_score = item.self_score
        item.appraisal_reason = reason.strip()
    else:
        if not reason.strip():
            raise ValidationError({"reason": _("Give the reason for adjusting the score.")})
        if not_applicable is not None:
            item.not_applicable = bool(not_applicable)
        if item.not_applicable:
            item.appraised_score = None
        else:
            if score is None or str(score).strip() == "":
                raise ValidationError({"score": _("Enter the appraised score.")})
            item.appraised_score = check_points(item.criterion, parse_number(score, field="score")).quantize(
                CENT, ROUND_HALF_UP
            )
        item.appraisal_reason = reason.strip()
    item.appraised_by = audit.signed_in(actor)
    item.appraised_at = timezone.now()
    return _save(actor, item, "par_item.appraise", before, reason=item.appraisal_reason)


@transaction.atomic
def accept_remaining(*, actor: Any, assessment: Assessment) -> int:
    """Accept every not yet appraised item that has a self-assessed score (or is marked not applicable)."""
    assessment = Assessment.objects.select_related("campaign", "unit").get(pk=assessment.pk)
    require(actor, APPRAISE, assessment.unit)
    require_phase(assessment.campaign, Phase.APPRAISAL)
    pending = assessment.items.filter(appraised_at__isnull=True).exclude(criterion__method=Method.SURVEY)
    accepted = 0
    for candidate in pending.values_list("pk", flat=True):
        with transaction.atomic():
            # Read again under the row lock: an appraiser may have adjusted it since the list was read,
            # and accepting over that adjustment would undo their work without anyone seeing it.
            item = Item.objects.select_for_update().select_related("criterion").get(pk=candidate)
            if item.appraised_at is not None or (item.self_score is None and not item.not_applicable):
                continue
            appraise_item(actor=actor, item=item, accept=True)
        accepted += 1
    return accepted


@transaction.atomic
def explain_item(*, actor: Any, item: Item, text: str, expected_version: int | None = None) -> Item:
    """The unit answers an adjusted score, once."""
    item = _locked(item, expected_version)
    require(actor, ENTER, item.assessment.unit)
    require_phase(item.assessment.campaign, Phase.EXPLANATION)
    if item.appraised_at is None or not _was_adjusted(item):
        raise ValidationError(_("Only a score the appraisers adjusted can be explained."))
    if item.explained_at is not None:
        raise ValidationError(_("This score has already been explained; a unit explains once."))
    if not text.strip():
        raise ValidationError({"explanation": _("Write the explanation.")})
    before = item_snapshot(item)
    item.explanation = text.strip()
    item.explained_at = timezone.now()
    return _save(actor, item, "par_item.explain", before)


def _was_adjusted(item: Item) -> bool:
    return item.appraised_score != item.self_score


@transaction.atomic
def second_appraise(
    *, actor: Any, item: Item, score: str | Decimal | None, reason: str, expected_version: int | None = None
) -> Item:
    """The final word on an explained item: keep the first appraisal or change it, with the reason."""
    item = _locked(item, expected_version)
    require(actor, APPRAISE, item.assessment.unit)
    require_phase(item.assessment.campaign, Phase.SECOND_APPRAISAL)
    if item.explained_at is None:
        raise ValidationError(_("Only an item the unit explained is appraised a second time."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the final score.")})
    before = item_snapshot(item)
    if score is None or str(score).strip() == "":
        if not item.not_applicable:
            raise ValidationError({"score": _("Enter the final score.")})
        item.second_score = None
    else:
        item.second_score = check_points(item.criterion, parse_number(score, field="score")).quantize(
            CENT, ROUND_HALF_UP
        )
    item.second_reason = reason.strip()
    item.second_at = timezone.now()
    return _save(actor, item, "par_item.second_appraise", before, reason=item.second_reason)


@transaction.atomic
def refresh_automatic(*, actor: Any, campaign: Campaign, assessments: Any = None) -> int:
    """Read every metric leaf's value again; the unit's self score on those leaves is the measured one."""
    items = Item.objects.filter(
        assessment__campaign=campaign, criterion__method=Method.METRIC
    ).select_related("criterion", "assessment__unit")
    if assessments is not None:
        items = items.filter(assessment__in=assessments)
    items = list(items)
    measures = measure_many(items, campaign.year)
    changed = 0
    for item in items:
        measured = measures[item.pk]
        if (item.auto_value, item.auto_source, item.self_score) == (
            measured.value,
            measured.source,
            measured.points,
        ):
            continue
        before = item_snapshot(item)
        item.auto_value, item.auto_source, item.self_score = measured.value, measured.source, measured.points
        _save(actor, item, "par_item.measure", before)
        changed += 1
    return changed
