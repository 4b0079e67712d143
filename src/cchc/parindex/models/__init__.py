"""Criteria sets, campaigns with their assessments and items, the survey component and fixed results."""

from cchc.parindex.models.campaigns import (
    DEFAULT_ANSWER_WEIGHTS,
    PHASE_DEADLINE_FIELDS,
    PHASE_ORDER,
    Assessment,
    AssessmentStatus,
    Campaign,
    Evidence,
    Item,
    Phase,
)
from cchc.parindex.models.criteria import (
    COMPUTED,
    OUTSIDE_MAXIMUM,
    Band,
    CriteriaSet,
    Criterion,
    Level,
    Method,
    NotApplicableRule,
    level_of,
)
from cchc.parindex.models.results import Result
from cchc.parindex.models.survey import AnswerChannel, Question, Questionnaire, SurveyAnswer

__all__ = [
    "COMPUTED",
    "DEFAULT_ANSWER_WEIGHTS",
    "OUTSIDE_MAXIMUM",
    "PHASE_DEADLINE_FIELDS",
    "PHASE_ORDER",
    "AnswerChannel",
    "Assessment",
    "AssessmentStatus",
    "Band",
    "Campaign",
    "CriteriaSet",
    "Criterion",
    "Evidence",
    "Item",
    "Level",
    "Method",
    "NotApplicableRule",
    "Phase",
    "Question",
    "Questionnaire",
    "Result",
    "SurveyAnswer",
    "level_of",
]
