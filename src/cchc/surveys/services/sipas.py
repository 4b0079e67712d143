"""SIPAS campaigns: created from the shipped template, opened and closed, and their responses.

Responses come from four channels: the public web form (a unit's link or QR code, optionally with a
one-time invitation code), paper forms entered by staff, phone interviews, and spreadsheet imports.
The reform office of the organising province runs the campaign (PLAN); staff of a surveyed unit may
enter paper forms and phone interviews for their unit (ENTER).
"""

import datetime
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.permissions import ENTER, PLAN, require
from cchc.core import audit
from cchc.core.audit import signed_in
from cchc.surveys.models import (
    CampaignStatus,
    Element,
    Invitation,
    QuestionKind,
    ResponseChannel,
    SurveyAnswerValue,
    SurveyCampaign,
    SurveyQuestion,
    SurveyResponse,
    UnitQuota,
)
from cchc.surveys.services.common import random_code
from cchc.units.models import Unit, UnitType

DATA = Path(__file__).resolve().parent.parent / "data"
TEMPLATES = {"sipas": "sipas.json"}
SURVEYED_TYPES = (UnitType.AGENCY, UnitType.COMMUNE)
RESPONSE_COLUMNS = ["campaign_code", "response_code", "unit_code", "question_code", "answer"]
OPTIONAL_RESPONSE_COLUMNS = ("answered_on", "field", "channel")
CAMPAIGN_FIELDS = ["code", "year", "title", "status", "starts_on", "ends_on", "formula"]


def load_template(key: str) -> dict[str, Any]:
    if key not in TEMPLATES:
        raise ValidationError(
            _("There is no survey template “%(key)s”; use one of: %(keys)s.")
            % {"key": key, "keys": ", ".join(TEMPLATES)}
        )
    data: dict[str, Any] = json.loads((DATA / TEMPLATES[key]).read_text(encoding="utf-8"))
    return data


def _quota(unit: Unit, quotas: dict[str, Any]) -> int:
    by_kind, by_type = quotas.get("by_kind", {}), quotas.get("by_type", {})
    return int(by_kind.get(unit.kind) or by_type.get(unit.type) or quotas["default"])


@transaction.atomic
def new_campaign(
    *, actor: Any, organiser: Unit, template: str, year: int, code: str, title: str = ""
) -> SurveyCampaign:
    """A campaign with the template's questionnaire and a quota and public link for every surveyed unit."""
    require(actor, PLAN, organiser)
    data = load_template(template)
    code = code.strip()
    if not code or not all(char.isalnum() or char in "-_" for char in code):
        raise ValidationError({"code": _("A survey code uses letters, digits, - and _ only.")})
    if SurveyCampaign.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A survey with the code %(code)s already exists.") % {"code": code}})
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("“%(value)s” is not a plausible year.") % {"value": year}})
    campaign = SurveyCampaign.objects.create(
        code=code,
        organiser=organiser,
        year=year,
        title=title.strip() or f"{data['title']} {year}",
        template=template,
        formula=data.get("formula", "mean_of_elements"),
        legal_basis=data.get("legal_basis", ""),
        starts_on=datetime.date(int(year), 1, 1),
        ends_on=datetime.date(int(year), 12, 31),
    )
    position = 0
    for element_position, spec in enumerate(data["elements"], start=1):
        element = Element.objects.create(
            campaign=campaign,
            code=spec["code"],
            title=spec["title"],
            kind=spec["kind"],
            position=element_position,
        )
        for question in spec["questions"]:
            position += 1
            _add_question(campaign, element, question, position)
    for question in data.get("general", []):
        position += 1
        _add_question(campaign, None, question, position)
    day = datetime.date(int(year), 12, 31)
    units = (
        Unit.objects.subtree(organiser)
        .active_on(day)
        .filter(type__in=SURVEYED_TYPES)
        .exclude(pk=organiser.pk)
    )
    UnitQuota.objects.bulk_create(
        [
            UnitQuota(
                campaign=campaign,
                unit=unit,
                quota=_quota(unit, data.get("quotas", {})),
                link_token=random_code(16),
            )
            for unit in units
        ]
    )
    audit.record(
        actor=actor,
        action="sipas.create",
        obj=campaign,
        unit=organiser,
        after=audit.snapshot(campaign, CAMPAIGN_FIELDS) | {"units": units.count()},
    )
    return campaign


def _add_question(
    campaign: SurveyCampaign, element: Element | None, spec: dict[str, Any], position: int
) -> None:
    SurveyQuestion.objects.create(
        campaign=campaign,
        element=element,
        code=spec["code"],
        text=spec["text"],
        kind=spec["kind"],
        options=spec.get("options", []),
        required=bool(spec.get("required")),
        position=position,
    )


@transaction.atomic
def set_status(*, actor: Any, campaign: SurveyCampaign, status: str) -> SurveyCampaign:
    require(actor, PLAN, campaign.organiser)
    if status not in CampaignStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    before = audit.snapshot(campaign, CAMPAIGN_FIELDS)
    campaign.status = status
    campaign.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="sipas.status",
        obj=campaign,
        unit=campaign.organiser,
        before=before,
        after=audit.snapshot(campaign, CAMPAIGN_FIELDS),
    )
    return campaign


@transaction.atomic
def set_quota(*, actor: Any, quota: UnitQuota, value: int) -> UnitQuota:
    require(actor, PLAN, quota.campaign.organiser)
    if value < 1:
        raise ValidationError({"quota": _("A quota is at least 1.")})
    before = {"quota": quota.quota}
    quota.quota = value
    quota.save(update_fields=["quota"])
    audit.record(
        actor=actor, action="sipas.quota", obj=quota, unit=quota.unit, before=before, after={"quota": value}
    )
    return quota


@transaction.atomic
def create_invitations(*, actor: Any, campaign: SurveyCampaign, unit: Unit, count: int) -> list[Invitation]:
    """One-time codes a unit hands out with its results; each admits one web response."""
    require(actor, ENTER, unit)
    if not UnitQuota.objects.filter(campaign=campaign, unit=unit).exists():
        raise ValidationError(_("%(unit)s is not surveyed in this campaign.") % {"unit": unit.name})
    if not 1 <= count <= 5000:
        raise ValidationError({"count": _("Create between 1 and 5,000 codes at a time.")})
    invitations = Invitation.objects.bulk_create(
        [Invitation(campaign=campaign, unit=unit, code=random_code(8)) for _ in range(count)]
    )
    audit.record(actor=actor, action="sipas.invitations", obj=campaign, unit=unit, after={"count": count})
    return invitations


def _clean_answers(
    campaign: SurveyCampaign, answers: dict[str, Any], strict_required: bool
) -> list[tuple[SurveyQuestion, int | None, str]]:
    """Check answers given by question code; a satisfaction answer is a whole number from 1 to 5."""
    questions = {question.code: question for question in campaign.questions.all()}
    cleaned = []
    for code, raw in answers.items():
        value = "" if raw is None else str(raw).strip()
        if value == "":
            continue
        question = questions.get(code)
        if question is None:
            raise ValidationError(_("The questionnaire has no question %(code)s.") % {"code": code})
        cleaned.append((question, *answer_value(question, value)))
    given = {question.code for question, _score, _text in cleaned}
    if strict_required:
        missing = [
            question.code
            for question in questions.values()
            if question.required and question.code not in given
        ]
        if missing:
            raise ValidationError(
                _("Please answer the required questions: %(codes)s.") % {"codes": ", ".join(missing)}
            )
    if not any(question.kind == QuestionKind.SATISFACTION for question, _s, _t in cleaned):
        raise ValidationError(_("The form has no satisfaction answer."))
    return cleaned


def answer_value(question: SurveyQuestion, value: str) -> tuple[int | None, str]:
    """(score, text) of one answer: a satisfaction score 1–5, an offered option, or free text."""
    if question.kind == QuestionKind.SATISFACTION:
        if value not in {"1", "2", "3", "4", "5"}:
            raise ValidationError(
                _("Answer %(code)s with a whole number from 1 (very unsatisfied) to 5 (very satisfied).")
                % {"code": question.code}
            )
        return int(value), ""
    choice = question.kind in (QuestionKind.PERCEPTION, QuestionKind.EXPECTATION)
    if choice and question.options and value not in question.options:
        raise ValidationError(
            _("“%(value)s” is not an option of question %(code)s.") % {"value": value, "code": question.code}
        )
    if len(value) > 2000:
        raise ValidationError(_("The answer to %(code)s is too long.") % {"code": question.code})
    return None, value


def _require_open(campaign: SurveyCampaign, on: datetime.date) -> None:
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError(_("This survey is not collecting answers."))
    if (campaign.starts_on and on < campaign.starts_on) or (campaign.ends_on and on > campaign.ends_on):
        raise ValidationError(_("The date lies outside the survey's period."))


def _form_entered(code: str) -> ValidationError:
    return ValidationError({"response_code": _("Form %(code)s has already been entered.") % {"code": code}})


def store_response(
    campaign: SurveyCampaign,
    unit: Unit,
    answers: list[tuple[SurveyQuestion, int | None, str]],
    channel: str,
    answered_on: datetime.date,
    **extra: Any,
) -> SurveyResponse:
    """Write one response with its answers under a fresh receipt code (a clash of codes is retried);
    the callers have checked the answers and the rights."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                response = SurveyResponse.objects.create(
                    campaign=campaign,
                    unit=unit,
                    receipt_code=random_code(10),
                    channel=channel,
                    answered_on=answered_on,
                    **extra,
                )
            break
        except IntegrityError:
            code = extra.get("response_code")
            if code and SurveyResponse.objects.filter(campaign=campaign, response_code=code).exists():
                # Another clerk entered the same form number in the moment since the caller checked.
                raise _form_entered(code) from None
            continue  # a receipt code drawn twice: draw again
    else:
        raise RuntimeError("could not draw a free receipt code")
    SurveyAnswerValue.objects.bulk_create(
        [
            SurveyAnswerValue(response=response, question=question, score=score, text=text)
            for question, score, text in answers
        ]
    )
    return response


@transaction.atomic
def submit_web_response(
    *, link_token: str, answers: dict[str, Any], invitation_code: str = "", field: str = ""
) -> SurveyResponse:
    """A citizen's answers from the public form; no account and no personal data."""
    quota = UnitQuota.objects.select_related("campaign", "unit").filter(link_token=link_token).first()
    if quota is None:
        raise ValidationError(_("This survey link is not valid."))
    campaign, today = quota.campaign, timezone.localdate()
    _require_open(campaign, today)
    invitation = None
    if invitation_code.strip():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(campaign=campaign, unit=quota.unit, code=invitation_code.strip().upper())
            .first()
        )
        if invitation is None:
            raise ValidationError({"invitation": _("This invitation code is not valid for this unit.")})
        if invitation.used_at is not None:
            raise ValidationError({"invitation": _("This invitation code has already been used.")})
    cleaned = _clean_answers(campaign, answers, strict_required=True)
    response = store_response(
        campaign,
        quota.unit,
        cleaned,
        ResponseChannel.WEB,
        today,
        invitation=invitation,
        field=field.strip()[:200],
    )
    if invitation is not None:
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
    audit.record(actor=None, action="sipas.response", obj=response, unit=quota.unit, after={"channel": "web"})
    return response


@transaction.atomic
def enter_response(
    *,
    actor: Any,
    campaign: SurveyCampaign,
    unit: Unit,
    answers: dict[str, Any],
    channel: str,
    answered_on: datetime.date,
    response_code: str = "",
    field: str = "",
) -> SurveyResponse:
    """A paper form or a phone interview typed in by staff of the unit (or the reform office)."""
    require(actor, ENTER, unit)
    if channel not in (ResponseChannel.PAPER, ResponseChannel.PHONE):
        raise ValidationError({"channel": _("Staff enter paper forms and phone interviews.")})
    if not UnitQuota.objects.filter(campaign=campaign, unit=unit).exists():
        raise ValidationError(_("%(unit)s is not surveyed in this campaign.") % {"unit": unit.name})
    _require_open(campaign, answered_on)
    response_code = response_code.strip()
    if (
        response_code
        and SurveyResponse.objects.filter(campaign=campaign, response_code=response_code).exists()
    ):
        raise _form_entered(response_code)
    cleaned = _clean_answers(campaign, answers, strict_required=False)
    response = store_response(
        campaign,
        unit,
        cleaned,
        channel,
        answered_on,
        response_code=response_code,
        field=field.strip(),
        entered_by=signed_in(actor),
    )
    audit.record(actor=actor, action="sipas.response", obj=response, unit=unit, after={"channel": channel})
    return response
