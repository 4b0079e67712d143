"""The REST API of surveys and feedback (/api/v1/): SIPAS campaigns, their responses and results, and
citizen feedback with the steps of its handling.

It reads through the same scoped querysets and `queries` as the staff pages and writes only through the
services, which check the rights again and write the audit row in the same transaction. A feedback's
steps need `If-Match` (`core.api_concurrency`), since two people (the unit's clerk and the reform
office) can act on one feedback at once. docs/surveys.md, section "API", lists the endpoints.
"""

from cchc.surveys.api.feedback import FeedbackViewSet
from cchc.surveys.api.sipas import CampaignViewSet, ResponseViewSet


def register(router) -> None:
    router.register("sipas-campaigns", CampaignViewSet, basename="sipas-campaign")
    router.register("sipas-responses", ResponseViewSet, basename="sipas-response")
    router.register("feedback", FeedbackViewSet, basename="feedback")
