"""The PAR Index REST API under /api/v1/: criteria sets, campaigns and their results, scorecards, items."""

from cchc.parindex.api.campaigns import CampaignViewSet, CriteriaSetViewSet
from cchc.parindex.api.scorecards import AssessmentViewSet, ItemViewSet


def register(router) -> None:
    router.register("parindex/criteria-sets", CriteriaSetViewSet, basename="par-criteria-set")
    router.register("parindex/campaigns", CampaignViewSet, basename="par-campaign")
    router.register("parindex/assessments", AssessmentViewSet, basename="par-assessment")
    router.register("parindex/items", ItemViewSet, basename="par-item")
