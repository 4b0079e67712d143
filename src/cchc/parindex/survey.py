"""Survey scores (read side): a question's score = its max points × the mean weight of its answers."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count

from cchc.parindex.models import Campaign, SurveyAnswer


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
    from cchc.parindex.models import Question

    leaf_of = dict(
        Question.objects.filter(questionnaire__campaign=campaign).values_list("pk", "criterion_id")
    )
    scores: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for (unit_id, question_id), (score, _n) in question_scores(campaign).items():
        scores[(unit_id, leaf_of[question_id])] += score
    return dict(scores)
