"""Which PAR Index events are sent to other systems (read by cchc.webhooks at start-up).

* Results published (a campaign run in the system moved to publication) -> "par.results_published";
  each receiver gets the results (index, rank, classification) of the units in its subtree only.
  A past year's scores imported from a spreadsheet (`par_campaign.import_scores`) are not sent: they
  are history typed in, not news, and each re-import of the file would tell every receiver again.
"""

from django.urls import reverse

from cchc.core.models import AuditEntry
from cchc.parindex.models import Campaign, Phase, Result
from cchc.webhooks.models import EventType
from cchc.webhooks.registry import Event, Part, on_action, unit_data


def results_published(entry: AuditEntry) -> list[Event]:
    if (entry.after or {}).get("phase") != Phase.PUBLISHED:
        return []
    campaign = Campaign.objects.filter(pk=entry.object_id, phase=Phase.PUBLISHED).first()
    if campaign is None:
        return []
    results = Result.objects.filter(campaign=campaign).select_related("unit").order_by("unit_type", "rank")
    parts = tuple(
        Part(
            result.unit.path,
            {
                "unit": unit_data(result.unit),
                "unit_type": result.unit_type,
                "score": str(result.score),
                "max_points": str(result.max_points),
                "index": str(result.index_shown),
                "rank": result.rank,
                "classification": result.band,
            },
        )
        for result in results
    )
    return [
        Event(
            type=EventType.PAR_PUBLISHED,
            object={
                "campaign_id": campaign.pk,
                "year": campaign.year,
                "title": campaign.title,
                "decision_number": campaign.decision_number,
                "published_on": campaign.published_on.isoformat() if campaign.published_on else None,
            },
            link=reverse("parindex:ranking", args=[campaign.pk]),
            parts=parts,
            parts_key="results",
        )
    ]


on_action("par_campaign.advance", results_published)
