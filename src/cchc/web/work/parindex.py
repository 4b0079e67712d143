"""Work in the PAR Index, by the phase the campaign is in: self-assess and submit (the unit), appraise
(the reform office and appraisers), explain adjusted scores (the unit), appraise again. One query per
phase, each scorecard with the count of its items still waiting."""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cchc.parindex.models import COMPUTED, Assessment, AssessmentStatus, Item, Method, Phase
from cchc.web.work.items import (
    PAR_APPRAISE,
    PAR_EXPLAIN,
    PAR_SECOND,
    PAR_SELF,
    PAR_SUBMIT,
    Kind,
    WorkItem,
    dated,
)
from cchc.web.work.roles import APPRAISERS, Roles
from cchc.workdays.calendar import WorkCalendar


def work(user, roles: Roles, today: datetime.date, calendar: WorkCalendar) -> list[WorkItem]:
    def item(kind: Kind, assessment: Assessment, deadline, detail: str) -> WorkItem:
        return dated(
            kind,
            title=assessment.campaign.title,
            unit=assessment.unit.name,
            url=reverse("parindex:scorecard", args=[assessment.pk]),
            deadline=deadline,
            today=today,
            calendar=calendar,
            detail=detail,
        )

    items = []
    scorecards = Assessment.objects.for_user(user).select_related("campaign", "unit")
    own = roles.focal | roles.leading
    if own:
        unscored = Q(items__self_score__isnull=True, items__not_applicable=False) & ~Q(
            items__criterion__method__in=COMPUTED
        )
        drafts = scorecards.filter(
            campaign__phase=Phase.SELF_ASSESSMENT, status=AssessmentStatus.DRAFT, unit_id__in=own
        ).annotate(unscored=Count("items", filter=unscored))
        for assessment in drafts:
            deadline = assessment.campaign.self_assessment_until
            if assessment.unit_id in roles.focal:
                detail = (
                    _criteria(assessment.unscored)
                    if assessment.unscored
                    else _("Every criterion has a score")
                )
                items.append(item(PAR_SELF, assessment, deadline, detail))
            if assessment.unit_id in roles.leading:
                items.append(item(PAR_SUBMIT, assessment, deadline, ""))
    appraisable = roles.under("unit__path", *APPRAISERS)
    if appraisable is not None:
        pending = Q(items__appraised_at__isnull=True) & ~Q(items__criterion__method=Method.SURVEY)
        for assessment in scorecards.filter(appraisable, campaign__phase=Phase.APPRAISAL).annotate(
            pending=Count("items", filter=pending)
        ):
            if assessment.pending:
                items.append(
                    item(
                        PAR_APPRAISE,
                        assessment,
                        assessment.campaign.appraisal_until,
                        _criteria(assessment.pending),
                    )
                )
        second = Q(items__explained_at__isnull=False, items__second_at__isnull=True)
        for assessment in scorecards.filter(appraisable, campaign__phase=Phase.SECOND_APPRAISAL).annotate(
            pending=Count("items", filter=second)
        ):
            if assessment.pending:
                items.append(
                    item(
                        PAR_SECOND,
                        assessment,
                        assessment.campaign.second_appraisal_until,
                        _criteria(assessment.pending),
                    )
                )
    if roles.focal:
        items += _to_explain(user, roles, item)
    return items


def _to_explain(user, roles: Roles, item) -> list[WorkItem]:
    """Scores the appraisers adjusted that the unit has not explained yet (a unit explains once)."""
    adjusted: dict[int, int] = {}
    for assessment_id, appraised, own in (
        Item.objects.for_user(user)
        .filter(
            assessment__unit_id__in=roles.focal,
            assessment__campaign__phase=Phase.EXPLANATION,
            appraised_at__isnull=False,
            explained_at__isnull=True,
        )
        .values_list("assessment_id", "appraised_score", "self_score")
    ):
        if appraised != own:  # the same comparison as the explanation service
            adjusted[assessment_id] = adjusted.get(assessment_id, 0) + 1
    if not adjusted:
        return []
    scorecards = Assessment.objects.filter(pk__in=adjusted).select_related("campaign", "unit")
    return [
        item(
            PAR_EXPLAIN, assessment, assessment.campaign.explanation_until, _criteria(adjusted[assessment.pk])
        )
        for assessment in scorecards
    ]


def _criteria(count: int) -> str:
    return ngettext("%(count)s criterion", "%(count)s criteria", count) % {"count": count}
