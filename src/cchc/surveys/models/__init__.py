"""SIPAS satisfaction surveys and citizen feedback (PAKN)."""

from cchc.surveys.models.antispam import PublicPostCount, SpentStamp
from cchc.surveys.models.feedback import (
    FINISHED,
    Feedback,
    FeedbackChannel,
    FeedbackDeadline,
    FeedbackKind,
    FeedbackRating,
    FeedbackStatus,
    FeedbackStep,
)
from cchc.surveys.models.sipas import (
    CampaignStatus,
    Element,
    ElementKind,
    Invitation,
    OverallFormula,
    QuestionKind,
    ResponseChannel,
    SurveyAnswerValue,
    SurveyCampaign,
    SurveyQuestion,
    SurveyResponse,
    UnitQuota,
)

__all__ = [
    "FINISHED",
    "CampaignStatus",
    "Element",
    "ElementKind",
    "Feedback",
    "FeedbackChannel",
    "FeedbackDeadline",
    "FeedbackKind",
    "FeedbackRating",
    "FeedbackStatus",
    "FeedbackStep",
    "Invitation",
    "OverallFormula",
    "PublicPostCount",
    "QuestionKind",
    "ResponseChannel",
    "SpentStamp",
    "SurveyAnswerValue",
    "SurveyCampaign",
    "SurveyQuestion",
    "SurveyResponse",
    "UnitQuota",
]
