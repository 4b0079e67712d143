"""Which PAR Index events become notifications, and for whom (read by cchc.notifications at start-up).

* A phase opens: self-assessment -> the focal points of every assessed unit; appraisal and second
  appraisal -> the appraisers of the organising province; explanation -> the focal points of the units
  whose scores the appraisers changed; publication -> the focal points and leaders of every assessed unit.
* A unit submits its self-assessment -> the appraisers of the organising province.
* Deadlines (the daily run): the current phase's last day, 7, 3 and 1 working days ahead and when passed,
  to those who still have work in it (units not yet submitted; units to explain; the appraisers).
"""

import datetime

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.accounts.models import Role
from cchc.core.models import AuditEntry
from cchc.notifications import steps
from cchc.notifications.recipients import but, holders, holders_by_unit
from cchc.notifications.registry import Event, deadlines, kind, on_action
from cchc.parindex.models import Assessment, AssessmentStatus, Campaign, Item, Phase

PHASE = kind("par_phase", gettext_lazy("PAR Index phase"))
SUBMITTED = kind("par_submitted", gettext_lazy("PAR Index self-assessment"))
PHASE_DEADLINE = kind("par_deadline", gettext_lazy("PAR Index deadline"))

FOCAL = [Role.FOCAL_POINT]
APPRAISERS = [Role.APPRAISER]


def _adjusted_units(campaign: Campaign) -> set[int]:
    """Units with an item whose appraised score differs from their own: they are asked to explain."""
    items = Item.objects.filter(assessment__campaign=campaign, appraised_score__isnull=False).exclude(
        appraised_score=F("self_score")
    )
    return set(items.values_list("assessment__unit_id", flat=True))


def _phase_people(campaign: Campaign, phase: str) -> dict[int | None, list]:
    """Who has work in `phase`: unit id -> people, or None -> the appraisers (no unit of their own here)."""
    assessments = Assessment.objects.filter(campaign=campaign)
    if phase == Phase.SELF_ASSESSMENT:
        units = set(assessments.filter(status=AssessmentStatus.DRAFT).values_list("unit_id", flat=True))
        return dict(holders_by_unit(units, FOCAL))
    if phase == Phase.EXPLANATION:
        return dict(holders_by_unit(_adjusted_units(campaign), FOCAL))
    if phase == Phase.PUBLISHED:
        units = set(assessments.values_list("unit_id", flat=True))
        return dict(holders_by_unit(units, [Role.FOCAL_POINT, Role.LEADER]))
    if phase in (Phase.APPRAISAL, Phase.SECOND_APPRAISAL):
        return {None: holders(campaign.organiser, APPRAISERS, covering=True)}
    return {}


def _until(campaign: Campaign, phase: str) -> str:
    deadline = campaign.deadline(phase)
    return _("until %(date)s") % {"date": f"{deadline:%d/%m/%Y}"} if deadline else ""


def phase_opened(entry: AuditEntry) -> list[Event]:
    campaign = Campaign.objects.select_related("organiser").filter(pk=entry.object_id).first()
    # The phase this row opened, not the campaign's phase when the queued job runs: a later advance
    # (two clicks, a worker running behind) has its own row and its own notifications.
    phase = (entry.after or {}).get("phase")
    if campaign is None or phase != campaign.phase:
        return []
    title = _("PAR Index %(year)s: %(phase)s is open %(until)s") % {
        "year": campaign.year,
        "phase": str(Phase(phase).label).lower(),
        "until": _until(campaign, phase),
    }
    if phase == Phase.EXPLANATION:
        title = _("PAR Index %(year)s: the appraisal changed some of your scores; explain %(until)s") % {
            "year": campaign.year,
            "until": _until(campaign, phase),
        }
    if phase == Phase.PUBLISHED:
        title = _("PAR Index %(year)s: the results are published") % {"year": campaign.year}
    events = []
    links = _unit_links(campaign)
    for unit_id, people in _phase_people(campaign, phase).items():
        events.append(
            Event(
                key=f"audit:{entry.pk}",
                kind=PHASE,
                title=title.strip(),
                recipients=but(people, entry.actor_id),
                link=links.get(unit_id, links[None]),
                unit=campaign.organiser if unit_id is None else unit_id,
            )
        )
    return events


def _unit_links(campaign: Campaign) -> dict[int | None, str]:
    """Unit id -> the link to its scorecard (one query for the whole campaign); None -> the campaign."""
    links: dict[int | None, str] = {
        unit_id: reverse("parindex:scorecard", args=[pk])
        for unit_id, pk in Assessment.objects.filter(campaign=campaign).values_list("unit_id", "pk")
    }
    links[None] = reverse("parindex:campaign", args=[campaign.pk])
    return links


def assessment_submitted(entry: AuditEntry) -> list[Event]:
    assessment = (
        Assessment.objects.select_related("unit", "campaign__organiser").filter(pk=entry.object_id).first()
    )
    if assessment is None:
        return []
    return [
        Event(
            key=f"audit:{entry.pk}",
            kind=SUBMITTED,
            title=_("%(unit)s submitted its PAR Index %(year)s self-assessment, to appraise")
            % {"unit": assessment.unit.name, "year": assessment.campaign.year},
            recipients=but(holders(assessment.campaign.organiser, APPRAISERS, covering=True), entry.actor_id),
            link=reverse("parindex:scorecard", args=[assessment.pk]),
            unit=assessment.unit,
        )
    ]


def phase_deadlines(today: datetime.date) -> list[Event]:
    events = []
    for campaign in Campaign.objects.exclude(phase__in=[Phase.PREPARATION, Phase.PUBLISHED]).select_related(
        "organiser"
    ):
        deadline = campaign.deadline(campaign.phase)
        found = steps.step(deadline, today) if deadline else None
        if found is None:
            continue
        title = _("PAR Index %(year)s, %(phase)s: %(when)s") % {
            "year": campaign.year,
            "phase": str(Phase(campaign.phase).label).lower(),
            "when": steps.step_words(found, deadline),
        }
        links = _unit_links(campaign)
        for unit_id, people in _phase_people(campaign, campaign.phase).items():
            events.append(
                Event(
                    key=f"parindex.phase:{campaign.pk}:{campaign.phase}:{unit_id}:"
                    f"{steps.step_key(found, deadline)}",
                    kind=PHASE_DEADLINE,
                    title=title,
                    recipients=tuple(people),
                    link=links.get(unit_id, links[None]),
                    unit=campaign.organiser if unit_id is None else unit_id,
                )
            )
    return [event for event in events if event.recipients]


on_action("par_campaign.advance", phase_opened)
on_action("par_assessment.submit", assessment_submitted)
deadlines("parindex.phases", phase_deadlines)
