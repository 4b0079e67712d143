"""Survey answers from spreadsheets in long format: one row per answer, grouped into responses by form number.

All rows are checked first; a file with any bad row writes nothing. A form number already imported is
updated in place, so importing the same file twice changes nothing.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.permissions import PLAN, require
from cchc.core import audit
from cchc.core.audit import signed_in
from cchc.core.tables import read_table
from cchc.kit.parsers import parse_date
from cchc.surveys.models import (
    CampaignStatus,
    ResponseChannel,
    SurveyAnswerValue,
    SurveyCampaign,
    SurveyResponse,
    UnitQuota,
)
from cchc.surveys.services.common import ImportRefused
from cchc.surveys.services.sipas import (
    OPTIONAL_RESPONSE_COLUMNS,
    RESPONSE_COLUMNS,
    answer_value,
    store_response,
)

CHANNELS = {ResponseChannel.PAPER, ResponseChannel.PHONE, ResponseChannel.IMPORT, ResponseChannel.WEB}


@dataclass
class Form:
    campaign: SurveyCampaign
    code: str
    unit_code: str
    rows: list[int] = field(default_factory=list)
    answers: dict[str, tuple[int | None, str]] = field(default_factory=dict)
    questions: dict[str, Any] = field(default_factory=dict)
    answered_on: datetime.date | None = None
    field_name: str = ""
    channel: str = ResponseChannel.IMPORT


@transaction.atomic
def import_responses(
    *, actor: Any, content: bytes, filename: str, campaign: SurveyCampaign | None = None
) -> dict[str, int]:
    """Import answer rows, all or nothing. With `campaign` (a campaign's own page), every row must
    name that campaign."""
    records, problems = read_table(content, filename, RESPONSE_COLUMNS, OPTIONAL_RESPONSE_COLUMNS)
    if problems:
        raise ImportRefused([(problem.row, problem.column, problem.message) for problem in problems])
    if campaign is not None:
        message = _("This page imports answers of the survey %(code)s only.") % {"code": campaign.code}
        foreign = [
            (record["_row"], "campaign_code", message)
            for record in records
            if str(record["campaign_code"]).strip() != campaign.code
        ]
        if foreign:
            raise ImportRefused(foreign)
    errors: list[tuple[int | None, str, str]] = []
    campaigns: dict[str, SurveyCampaign | None] = {}
    forms: dict[tuple[str, str], Form] = {}
    questions: dict[int, dict[str, Any]] = {}
    for record in records:
        number = record["_row"]
        code = str(record["campaign_code"]).strip()
        if code not in campaigns:
            campaigns[code] = SurveyCampaign.objects.select_related("organiser").filter(code=code).first()
        campaign = campaigns[code]
        if campaign is None:
            errors.append(
                (number, "campaign_code", _("There is no survey with the code %(code)s.") % {"code": code})
            )
            continue
        form_code = str(record["response_code"]).strip()
        if not form_code:
            errors.append((number, "response_code", _("The form number is empty.")))
            continue
        form = forms.get((code, form_code))
        if form is None:
            form = forms[(code, form_code)] = Form(campaign, form_code, str(record["unit_code"]).strip())
            if campaign.pk not in questions:
                questions[campaign.pk] = {question.code: question for question in campaign.questions.all()}
            form.questions = questions[campaign.pk]
        form.rows.append(number)
        if str(record["unit_code"]).strip() != form.unit_code:
            errors.append((number, "unit_code", _("Form %(code)s names two units.") % {"code": form_code}))
        question = form.questions.get(str(record["question_code"]).strip())
        if question is None:
            errors.append(
                (
                    number,
                    "question_code",
                    _("The questionnaire has no question %(code)s.") % {"code": record["question_code"]},
                )
            )
            continue
        if question.code in form.answers:
            errors.append(
                (
                    number,
                    "question_code",
                    _("Form %(code)s answers this question twice.") % {"code": form_code},
                )
            )
            continue
        try:
            form.answers[question.code] = answer_value(question, str(record["answer"]).strip())
            form.answered_on = parse_date(record.get("answered_on"), field="answered_on") or form.answered_on
        except ValidationError as error:
            errors.append((number, "answer", " ".join(error.messages)))
        channel = str(record.get("channel", "")).strip() or ResponseChannel.IMPORT
        if channel not in CHANNELS:
            errors.append((number, "channel", _("Unknown channel “%(value)s”.") % {"value": channel}))
        form.channel = channel
        form.field_name = str(record.get("field", "")).strip() or form.field_name
    quotas = {
        (quota.campaign_id, quota.unit.code): quota
        for quota in UnitQuota.objects.filter(
            campaign__in=[c for c in campaigns.values() if c]
        ).select_related("unit")
    }
    checked_rights: set[int] = set()
    for form in forms.values():
        campaign = form.campaign
        if campaign.pk not in checked_rights:
            require(actor, PLAN, campaign.organiser)
            checked_rights.add(campaign.pk)
        if campaign.status == CampaignStatus.DRAFT:
            errors.append(
                (
                    form.rows[0],
                    "campaign_code",
                    _("The survey %(code)s is not open yet.") % {"code": campaign.code},
                )
            )
        if (campaign.pk, form.unit_code) not in quotas:
            errors.append(
                (
                    form.rows[0],
                    "unit_code",
                    _("No unit with the code %(code)s is surveyed.") % {"code": form.unit_code},
                )
            )
        day = form.answered_on or min(timezone.localdate(), campaign.ends_on or timezone.localdate())
        if (campaign.starts_on and day < campaign.starts_on) or (campaign.ends_on and day > campaign.ends_on):
            errors.append((form.rows[0], "answered_on", _("The date lies outside the survey's period.")))
        form.answered_on = day
        if not any(score is not None for score, _text in form.answers.values()):
            errors.append(
                (form.rows[0], "answer", _("Form %(code)s has no satisfaction answer.") % {"code": form.code})
            )
    if errors:
        raise ImportRefused(sorted(errors, key=lambda error: (error[0] or 0, error[1])))
    return _apply(actor, forms, quotas)


def _apply(
    actor: Any, forms: dict[tuple[str, str], Form], quotas: dict[tuple[int, str], UnitQuota]
) -> dict[str, int]:
    created = updated = unchanged = 0
    existing: dict[int, dict[str, SurveyResponse]] = defaultdict(dict)
    for response in SurveyResponse.objects.filter(
        campaign__in={form.campaign for form in forms.values()},
        response_code__in={form.code for form in forms.values()},
    ).prefetch_related("answers__question"):
        existing[response.campaign_id][response.response_code] = response
    for form in forms.values():
        quota = quotas[(form.campaign.pk, form.unit_code)]
        answers = [(form.questions[code], score, text) for code, (score, text) in form.answers.items()]
        stored = existing[form.campaign.pk].get(form.code)
        if stored is None:
            store_response(
                form.campaign,
                quota.unit,
                answers,
                form.channel,
                form.answered_on or timezone.localdate(),
                response_code=form.code,
                field=form.field_name,
                entered_by=signed_in(actor),
            )
            created += 1
            continue
        old = {answer.question.code: (answer.score, answer.text) for answer in stored.answers.all()}
        same = (
            old == form.answers
            and stored.unit_id == quota.unit_id
            and stored.answered_on == form.answered_on
            and stored.field == form.field_name
            and stored.channel == form.channel
        )
        if same:
            unchanged += 1
            continue
        stored.answers.all().delete()
        SurveyAnswerValue.objects.bulk_create(
            [
                SurveyAnswerValue(response=stored, question=question, score=score, text=text)
                for question, score, text in answers
            ]
        )
        stored.unit, stored.answered_on, stored.field, stored.channel = (
            quota.unit,
            form.answered_on or stored.answered_on,
            form.field_name,
            form.channel,
        )
        stored.save()
        updated += 1
    summary = {"created": created, "updated": updated, "unchanged": unchanged}
    for campaign in {form.campaign for form in forms.values()}:
        audit.record(actor=actor, action="sipas.import", obj=campaign, unit=campaign.organiser, after=summary)
    return summary
