"""Survey scores (read side): a question's score = its max points × the mean weight of its answers."""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch

from cchc.parindex.models import Assessment, Campaign, Question, Questionnaire, SurveyAnswer
from cchc.units.models import Unit, UnitType


def weight_of(campaign: Campaign, answer: str) -> Decimal | None:
    weight = campaign.answer_weights.get(answer.strip().upper())
    return None if weight is None else Decimal(str(weight))


def question_scores(campaign: Campaign) -> dict[tuple[int, int], tuple[Decimal, int]]:
    """(unit id, question id) -> (score, number of answers), over answers whose letter has a weight."""
    counts = (
        SurveyAnswer.objects.filter(question__questionnaire__campaign=campaign)
        .values("unit_id", "question_id", "question__max_points", "answer")
        .annotate(n=Count("id"))
    )
    sums: dict[tuple[int, int], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0), Decimal(0)])
    for row in counts:
        weight = weight_of(campaign, row["answer"])
        if weight is None:
            continue
        entry = sums[(row["unit_id"], row["question_id"])]
        entry[0] += weight * row["n"]
        entry[1] += row["n"]
        entry[2] = row["question__max_points"]
    return {
        key: (max_points * (total / n) / 100, int(n)) for key, (total, n, max_points) in sums.items() if n
    }


def survey_scores(campaign: Campaign) -> dict[tuple[int, int], Decimal]:
    """(unit id, survey leaf id) -> points: the sum of the leaf's questions that were answered."""
    leaf_of = dict(
        Question.objects.filter(questionnaire__campaign=campaign).values_list("pk", "criterion_id")
    )
    scores: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for (unit_id, question_id), (score, _n) in question_scores(campaign).items():
        scores[(unit_id, leaf_of[question_id])] += score
    return dict(scores)


def forms_per_unit(campaign: Campaign) -> dict[str, int]:
    """How many respondents answered about each unit (by unit code), for the campaign page."""
    rows = (
        SurveyAnswer.objects.filter(question__questionnaire__campaign=campaign)
        .values("unit__code")
        .annotate(forms=Count("respondent", distinct=True))
    )
    return {row["unit__code"]: row["forms"] for row in rows}


# -- the survey page ------------------------------------------------------------------------------


def questionnaires(campaign: Campaign) -> list[Questionnaire]:
    questions = Question.objects.select_related("criterion__criteria_set").order_by("position")
    return list(campaign.questionnaires.prefetch_related(Prefetch("questions", queryset=questions)))


def scored_units(campaign: Campaign) -> list[Unit]:
    assessments = Assessment.objects.filter(campaign=campaign).select_related("unit")
    return [assessment.unit for assessment in assessments.order_by("unit__type", "unit__path")]


def units_for(questionnaire: Questionnaire, units: list[Unit]) -> list[Unit]:
    """The units a questionnaire asks about: those of the type its questions' criteria set scores."""
    types = {question.criterion.criteria_set.unit_type for question in questionnaire.questions.all()}
    return [unit for unit in units if unit.type in types] if types else units


def unit_table(campaign: Campaign, units: list[Unit]) -> list[dict[str, Any]]:
    forms_in = forms_per_unit(campaign)
    points: dict[int, Any] = {}
    for (unit_id, _leaf), score in survey_scores(campaign).items():
        points[unit_id] = points.get(unit_id, 0) + score
    return [
        {
            "unit": unit,
            "type_label": UnitType(unit.type).label,
            "forms": forms_in.get(unit.code, 0),
            "points": points.get(unit.pk),
        }
        for unit in units
    ]
