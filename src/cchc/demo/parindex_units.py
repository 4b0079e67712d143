"""The units' side of the demo PAR Index: who acts for each unit, the scores it gives itself, its
evidence files, and the survey forms its citizens fill in.

Deterministic: every unit draws from its own seeded generator, so the same units always get the same
scores whatever else the database holds. The notes the units write are in `data/parindex.yaml`.
"""

import csv
import io
import random
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.accounts.models import Role, RoleAssignment
from cchc.demo.datafiles import read
from cchc.demo.pdf import tiny_pdf
from cchc.parindex.models import COMPUTED, Assessment, Campaign, Item, Method
from cchc.parindex.services import items as item_services
from cchc.parindex.services import survey as survey_services
from cchc.units.models import Unit, UnitType

PAST_YEAR, CURRENT_YEAR = 2025, 2026
QUARTER_STEP = Decimal("0.25")
# (unit type, leaf code) -> share of units for which the leaf does not apply (no such task that year).
OFTEN_NOT_APPLICABLE: dict[tuple[str, str], float] = {
    (UnitType.AGENCY, "2.1"): 0.35,
    (UnitType.AGENCY, "3.4"): 0.15,
    (UnitType.AGENCY, "6.2"): 0.3,
    (UnitType.COMMUNE, "3.3"): 0.2,
    (UnitType.COMMUNE, "6.3"): 0.1,
}


@dataclass
class Actors:
    planner: Any  # the reform office: opens campaigns, moves phases, enters survey forms
    appraiser: Any
    focal: dict[int, Any]  # unit id -> who enters the unit's scores (None: the system)
    leader: dict[int, Any]  # unit id -> who submits the unit's self-assessment


def find_actors(planner: Any, organiser: Unit) -> Actors:
    """The demo's people where they exist (focal points, leaders, an appraiser), the system elsewhere."""
    focal: dict[int, Any] = {}
    leader: dict[int, Any] = {}
    appraiser = planner
    assignments = RoleAssignment.objects.filter(
        unit__path__startswith=organiser.path, user__is_active=True
    ).select_related("user")
    for assignment in assignments.order_by("user__username"):
        if assignment.role == Role.FOCAL_POINT:
            focal.setdefault(assignment.unit_id, assignment.user)
        elif assignment.role == Role.LEADER:
            leader.setdefault(assignment.unit_id, assignment.user)
        elif (
            assignment.role == Role.APPRAISER and assignment.unit_id == organiser.pk and appraiser is planner
        ):
            appraiser = assignment.user
    return Actors(planner=planner, appraiser=appraiser, focal=focal, leader=leader)


# --- What one unit reports -------------------------------------------------------------------------


def _base_quality(unit: Unit) -> float:
    """How well a unit does its reform work, the same every time: most do well, a few clearly less."""
    rng = random.Random(f"parindex-quality-{unit.code}")
    draw = rng.random()
    if draw < 0.07:
        return rng.uniform(0.5, 0.64)
    if draw < 0.2:
        return rng.uniform(0.66, 0.78)
    return rng.uniform(0.8, 0.98)


def quality(unit: Unit, year: int) -> float:
    value = _base_quality(unit)
    if year > PAST_YEAR:
        value += random.Random(f"parindex-drift-{year}-{unit.code}").uniform(-0.03, 0.06)
    return min(value, 0.99)


def unit_rng(unit: Unit, year: int, purpose: str) -> random.Random:
    return random.Random(f"parindex-{purpose}-{year}-{unit.code}")


def points(value: float, maximum: Decimal) -> Decimal:
    """A share of the maximum, rounded down to a quarter point as appraisers and units write it."""
    share = Decimal(str(min(max(value, 0.0), 1.0)))
    return ((maximum * share) / QUARTER_STEP).to_integral_value(ROUND_DOWN) * QUARTER_STEP


def _report(item: Item, level: float, rng: random.Random) -> tuple[str, bool, str]:
    """(what the unit enters, not applicable, its note) for a leaf it scores itself."""
    notes = read("parindex")["notes"]
    criterion = item.criterion
    year = item.assessment.campaign.year
    unit_type = item.assessment.unit.type
    share_not_applicable = OFTEN_NOT_APPLICABLE.get((unit_type, criterion.code), 0.0)
    if rng.random() < share_not_applicable:
        return "", True, notes["not_applicable"].format(year=year)
    method = criterion.method
    if method == Method.MANUAL:
        share = 1.0 if rng.random() < level - 0.2 else rng.gauss(level - 0.1, 0.1)
        return str(points(share, criterion.max_points)), False, notes["manual"].format(year=year)
    if method == Method.YES_NO:
        done = rng.random() < 0.5 + 0.5 * level
        return ("có" if done else "không"), False, notes["yes_no_done" if done else "yes_no_not_done"]
    if method == Method.TIERED:
        tiers = criterion.tiers
        draw = rng.random()
        tier = tiers[0] if draw < level else tiers[1] if draw < level + (1 - level) * 0.75 else tiers[-1]
        return tier["label"], False, notes["tiered"].format(tier=tier["label"].lower())
    if method == Method.RATE:
        rate = min(max(rng.gauss(100 * level + 4, 6), 35.0), 100.0)
        text = f"{rate:.1f}"
        return text, False, notes["rate"].format(rate=text, year=year)
    if method == Method.DEDUCTION:
        occurrences = 0 if rng.random() < level else rng.choice((1, 1, 2, 3))
        note = notes["no_deduction"] if occurrences == 0 else notes["deduction"].format(count=occurrences)
        return str(occurrences), False, note
    if method == Method.BONUS:
        if rng.random() < 0.25 * level:
            bonus = min(criterion.max_points, rng.choice((Decimal("0.5"), Decimal("1"))))
            return str(bonus), False, notes["bonus"]
        return "0", False, notes["no_bonus"]
    if method == Method.PENALTY:
        if rng.random() < 0.08 * (1.2 - level):
            penalty = min(criterion.max_points, Decimal("0.5"))
            return str(penalty), False, notes["penalty"]
        return "0", False, notes["no_penalty"]
    raise ValueError(f"{criterion.code}: the unit does not score {method} leaves itself")


def _evidence(item: Item) -> SimpleUploadedFile:
    unit = item.assessment.unit
    year = item.assessment.campaign.year
    code = item.criterion.code
    text = read("parindex")["evidence"].format(code=code, unit=unit.name, year=year)
    name = f"kiem-chung-{unit.code}-tc{code}-{year}.pdf"
    return SimpleUploadedFile(name, tiny_pdf(text), content_type="application/pdf")


def self_assess(actors: Actors, assessment: Assessment, *, share: float = 1.0) -> list[Item]:
    """Score the unit's own leaves (the first `share` of them) and attach two or three evidence files."""
    unit = assessment.unit
    year = assessment.campaign.year
    level = quality(unit, year)
    rng = unit_rng(unit, year, "self")
    enterer = actors.focal.get(unit.pk)
    leaves = [
        item
        for item in assessment.items.select_related("criterion", "assessment__unit", "assessment__campaign")
        if item.criterion.method not in COMPUTED
    ]
    scored = []
    for item in leaves[: round(len(leaves) * share)]:
        reported, not_applicable, note = _report(item, level, rng)
        scored.append(
            item_services.self_assess(
                actor=enterer, item=item, reported=reported, not_applicable=not_applicable, note=note
            )
        )
    provable = [item for item in scored if item.criterion.evidence_required and not item.not_applicable]
    for item in rng.sample(provable, min(len(provable), rng.randint(2, 3))):
        item_services.add_evidence(actor=enterer, item=item, upload=_evidence(item))
    return scored


# --- The survey --------------------------------------------------------------------------------------


def _answer_letters(level: float, rng: random.Random, count: int) -> list[str]:
    """Answer letters weighted towards A and B, the more so the better the unit works."""
    share_a = 0.2 + 0.7 * (level - 0.5)
    share_b = 0.4
    rest = 1 - share_a - share_b
    return rng.choices("ABCD", weights=(share_a, share_b, rest * 0.75, rest * 0.25), k=count)


def _survey_rows(campaign: Campaign, assessments: list[Assessment]) -> list[list[str]]:
    questions = {
        questionnaire.code: [question.code for question in questionnaire.questions.order_by("position")]
        for questionnaire in campaign.questionnaires.all()
    }
    rows = []
    for assessment in assessments:
        unit = assessment.unit
        questionnaire = f"DTXHH-{unit.type}"
        codes = questions.get(questionnaire)
        if not codes:
            continue
        rng = unit_rng(unit, campaign.year, "survey")
        level = quality(unit, campaign.year)
        for number in range(1, rng.randint(10, 15) + 1):
            respondent = f"PK{campaign.year % 100:02d}-{number:03d}"
            for code, letter in zip(codes, _answer_letters(level, rng, len(codes)), strict=True):
                rows.append([questionnaire, respondent, unit.code, code, letter])
    return rows


def import_survey(actors: Actors, campaign: Campaign, assessments: list[Assessment]) -> None:
    """The survey firm's spreadsheet of paper forms, imported in one go."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(survey_services.RESPONSE_COLUMNS)
    writer.writerows(_survey_rows(campaign, assessments))
    survey_services.import_answers(
        actor=actors.planner,
        campaign=campaign,
        content=buffer.getvalue().encode("utf-8"),
        filename=f"phieu-khao-sat-{campaign.year}.csv",
    )


def online_forms(actors: Actors, campaign: Campaign, assessments: list[Assessment], forms: int) -> None:
    """A few forms entered one by one on the site (respondents coded ON-…)."""
    questionnaires = {q.code: q for q in campaign.questionnaires.prefetch_related("questions")}
    for assessment in assessments:
        unit = assessment.unit
        questionnaire = questionnaires.get(f"DTXHH-{unit.type}")
        if questionnaire is None:
            continue
        rng = unit_rng(unit, campaign.year, "online")
        level = quality(unit, campaign.year)
        codes = [question.code for question in questionnaire.questions.all()]
        for number in range(1, forms + 1):
            survey_services.record_response(
                actor=actors.planner,
                questionnaire=questionnaire,
                unit=unit,
                respondent=f"ON{campaign.year % 100:02d}-{number:03d}",
                answers=dict(zip(codes, _answer_letters(level, rng, len(codes)), strict=True)),
            )
