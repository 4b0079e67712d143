"""Bulk entry on one area of a scorecard: what a row of the area's form asks to change, saving one row
(inline, as soon as a field is left) and saving every changed row at once, all or nothing.

The writes themselves stay in `services.items` (`self_assess`, `appraise_item`): this module only
decides which of them a row calls for, skips rows whose values did not change (so a page sent twice,
or a row saved inline a moment before "save all", writes nothing twice), and collects each row's
refusal so that the page can show it beside the row. A row based on an older version of its item is
refused by `services.items` as a `Conflict`, never overwritten.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cchc.accounts.permissions import APPRAISE, ENTER, require
from cchc.kit.parsers import parse_number
from cchc.parindex.models import COMPUTED, Assessment, Criterion, Item, Method

# The modes and the row are defined with the page that shows them; the views read them here too.
from cchc.parindex.queries.entry import (  # noqa: F401
    APPRAISE_MODE,
    MODE_PHASES,
    SELF,
    Entry,
    mode_for_phase,
)
from cchc.parindex.queries.results import area_of
from cchc.parindex.services import items as item_services
from cchc.parindex.services.common import require_phase

MODE_RIGHTS = {SELF: ENTER, APPRAISE_MODE: APPRAISE}


class AreaRefused(ValidationError):
    """ "Save all" refused: nothing was saved; `problems` maps an item's id to its row's messages."""

    def __init__(self, problems: dict[int, list[str]]):
        self.problems = problems
        super().__init__([text for texts in problems.values() for text in texts])


def _score_or_none(text: str) -> Decimal | None:
    text = text.strip()
    return None if not text else parse_number(text, field="score")


def self_changed(item: Item, entry: Entry) -> bool:
    """The row differs from what is saved (a computed leaf has no reported value of its own)."""
    reported = "" if item.criterion.method in COMPUTED or entry.not_applicable else entry.reported.strip()
    saved_reported = "" if item.criterion.method in COMPUTED or item.not_applicable else item.self_input
    return (reported, entry.not_applicable, entry.note.strip()) != (
        saved_reported,
        item.not_applicable,
        item.unit_note,
    )


def appraisal_changed(item: Item, entry: Entry) -> bool:
    """The row differs from the appraisal saved; an item not yet appraised changes once anything is typed."""
    score = _score_or_none(entry.score)
    if item.appraised_at is None:
        return score is not None or bool(entry.reason.strip()) or entry.not_applicable != item.not_applicable
    return (score, entry.reason.strip(), entry.not_applicable) != (
        item.appraised_score,
        item.appraisal_reason,
        item.not_applicable,
    )


def _save_self(actor: Any, item: Item, entry: Entry) -> Item | None:
    # The page offers no input on a survey leaf; a row posted for one anyway must not mark it
    # not applicable (services.items.self_assess only refuses a reported value on it).
    if item.criterion.method == Method.SURVEY:
        raise ValidationError(_("Survey criteria are scored from the survey answers."))
    # Refused rather than cut short: a cut value could still read as a valid (different) answer.
    longest = Item._meta.get_field("self_input").max_length
    if len(entry.reported.strip()) > longest:
        raise ValidationError(
            _("What was reported for %(code)s is too long (at most %(count)s characters).")
            % {"code": item.criterion.code, "count": longest}
        )
    if not self_changed(item, entry):
        return None
    return item_services.self_assess(
        actor=actor,
        item=item,
        reported="" if item.criterion.method in COMPUTED else entry.reported,
        not_applicable=entry.not_applicable,
        note=entry.note,
        expected_version=entry.version,
    )


def _save_appraisal(actor: Any, item: Item, entry: Entry) -> Item | None:
    """A score equal to the unit's own (and the same applicability) accepts it; anything else adjusts
    it and needs the reason, as on the item's own form."""
    if item.criterion.method == Method.SURVEY or not appraisal_changed(item, entry):
        return None
    score = _score_or_none(entry.score)
    same_applicability = entry.not_applicable == item.not_applicable
    accept = same_applicability and (
        (score is not None and score == item.self_score) or (score is None and item.not_applicable)
    )
    return item_services.appraise_item(
        actor=actor,
        item=item,
        accept=accept,
        score=entry.score,
        reason=entry.reason,
        not_applicable=None if accept else entry.not_applicable,
        expected_version=entry.version,
    )


def _save(actor: Any, item: Item, entry: Entry, mode: str) -> Item | None:
    if mode == SELF:
        return _save_self(actor, item, entry)
    return _save_appraisal(actor, item, entry)


def _check_mode(actor: Any, assessment: Assessment, mode: str) -> None:
    require(actor, MODE_RIGHTS[mode], assessment.unit)
    require_phase(assessment.campaign, MODE_PHASES[mode])


@transaction.atomic
def save_entry(*, actor: Any, item: Item, entry: Entry, mode: str) -> Item | None:
    """Save one row (inline). Returns the saved item, or None when the row did not change."""
    locked = Item.objects.select_for_update(of=("self",)).select_related("criterion", "assessment__campaign")
    item = locked.get(pk=item.pk)
    _check_mode(actor, item.assessment, mode)
    return _save(actor, item, entry, mode)


@transaction.atomic
def save_area(
    *, actor: Any, assessment: Assessment, area: Criterion, entries: list[Entry], mode: str
) -> list[Item]:
    """Save every changed row of an area's form in one transaction: if one row is refused, none is saved
    and `AreaRefused` names each refused row. Returns the items saved (unchanged rows are skipped).
    A row of another scorecard or of another area is refused: the page of `area` could not show it."""
    assessment = Assessment.objects.select_related("campaign", "unit").get(pk=assessment.pk)
    _check_mode(actor, assessment, mode)
    wanted = [entry.item_id for entry in entries]
    # Lock the rows first, so that a row saved inline a moment ago is compared with what it saved; in
    # the order of their ids, so that two "save all" of overlapping rows wait for each other instead of
    # deadlocking; only the items themselves, not the criteria that other units' scorecards share.
    items = {
        item.pk: item
        for item in Item.objects.select_for_update(of=("self",))
        .filter(assessment=assessment, pk__in=wanted)
        .select_related("criterion")
        .order_by("pk")
    }
    criteria = {node.pk: node for node in assessment.criteria_set.criteria.all()}
    problems: dict[int, list[str]] = {}
    saved: list[Item] = []
    for entry in entries:
        item = items.get(entry.item_id)
        if item is None:
            problems[entry.item_id] = [_("This criterion is not part of this scorecard.")]
            continue
        if area_of(criteria, item.criterion).pk != area.pk:
            problems[item.pk] = [_("Criterion %(code)s is not in this area.") % {"code": item.criterion.code}]
            continue
        item.assessment = assessment
        try:
            # A savepoint per row: a refused row leaves the transaction usable to check the others.
            with transaction.atomic():
                result = _save(actor, item, entry, mode)
        except ValidationError as error:
            problems[item.pk] = error.messages
            continue
        if result is not None:
            saved.append(result)
    if problems:
        raise AreaRefused(problems)
    return saved
