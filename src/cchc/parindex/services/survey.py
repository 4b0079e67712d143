"""The survey component: questionnaires per respondent group, answers entered online or imported."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cchc.accounts.permissions import PLAN, require
from cchc.core import audit
from cchc.core.tables import read_table
from cchc.kit.parsers import parse_number
from cchc.parindex.models import (
    AnswerChannel,
    Campaign,
    CriteriaSet,
    Method,
    Phase,
    Question,
    Questionnaire,
    SurveyAnswer,
)
from cchc.parindex.services.common import ImportRefused
from cchc.parindex.services.opening import check_weights
from cchc.units.models import Unit

RESPONSE_COLUMNS = ["questionnaire_code", "respondent", "unit_code", "question_code", "answer"]


def _require_open(campaign: Campaign) -> None:
    if campaign.phase in (Phase.FINALISATION, Phase.PUBLISHED):
        raise ValidationError(_("The results are fixed; survey answers can no longer change."))


@transaction.atomic
def create_questionnaire(
    *,
    actor: Any,
    campaign: Campaign,
    criteria_set: CriteriaSet,
    code: str,
    title: str,
    respondent_group: str,
    questions: list[dict[str, Any]],
) -> Questionnaire:
    """`questions`: dicts with code, text, criterion (a survey leaf's code) and max_points."""
    require(actor, PLAN, campaign.organiser)
    _require_open(campaign)
    if not code.strip() or not title.strip():
        raise ValidationError(_("A questionnaire needs a code and a title."))
    if Questionnaire.objects.filter(campaign=campaign, code=code.strip()).exists():
        raise ValidationError({"code": _("The questionnaire %(code)s already exists.") % {"code": code}})
    if not campaign.assessments.filter(criteria_set=criteria_set).exists():
        raise ValidationError(_("No unit of this campaign is scored on that criteria set."))
    leaves = {criterion.code: criterion for criterion in criteria_set.criteria.filter(method=Method.SURVEY)}
    questionnaire = Questionnaire.objects.create(
        campaign=campaign,
        criteria_set=criteria_set,
        code=code.strip(),
        title=title.strip(),
        respondent_group=respondent_group.strip(),
    )
    for position, spec in enumerate(questions, start=1):
        leaf = leaves.get(str(spec.get("criterion", "")).strip())
        if leaf is None:
            raise ValidationError(
                _("Question %(code)s must name a survey criterion of %(year)s.")
                % {"code": spec.get("code"), "year": campaign.year}
            )
        max_points = parse_number(spec.get("max_points", leaf.max_points), field="max_points")
        if not 0 < max_points <= leaf.max_points:
            raise ValidationError(
                _("Question %(code)s is worth more than its criterion.") % {"code": spec.get("code")}
            )
        Question.objects.create(
            questionnaire=questionnaire,
            criterion=leaf,
            code=str(spec["code"]).strip(),
            text=str(spec.get("text") or leaf.title).strip(),
            max_points=max_points,
            position=position,
        )
    audit.record(
        actor=actor,
        action="par_questionnaire.create",
        obj=questionnaire,
        unit=campaign.organiser,
        after={"code": questionnaire.code, "questions": len(questions)},
    )
    return questionnaire


def default_questionnaires(*, actor: Any, campaign: Campaign) -> list[Questionnaire]:
    """One questionnaire per criteria set of the year, one question per survey leaf at its full points."""
    created = []
    sets = {assessment.criteria_set for assessment in campaign.assessments.select_related("criteria_set")}
    for criteria_set in sorted(sets, key=lambda item: item.unit_type):
        leaves = list(criteria_set.criteria.filter(method=Method.SURVEY).order_by("position"))
        if not leaves:
            continue
        created.append(
            create_questionnaire(
                actor=actor,
                campaign=campaign,
                criteria_set=criteria_set,
                code=f"DTXHH-{criteria_set.unit_type}",
                title=_("Survey about %(title)s") % {"title": criteria_set.get_unit_type_display()},
                respondent_group=_("Leaders, officials, citizens and businesses"),
                questions=[
                    {
                        "code": leaf.code,
                        "text": leaf.title,
                        "criterion": leaf.code,
                        "max_points": leaf.max_points,
                    }
                    for leaf in leaves
                ],
            )
        )
    return created


@transaction.atomic
def set_answer_weights(
    *, actor: Any, campaign: Campaign, weights: dict[str, Any], basis: str = ""
) -> Campaign:
    require(actor, PLAN, campaign.organiser)
    _require_open(campaign)
    before = {"answer_weights": campaign.answer_weights, "basis": campaign.answer_weights_basis}
    campaign.answer_weights = check_weights(weights)
    campaign.answer_weights_basis = basis.strip()
    campaign.save(update_fields=["answer_weights", "answer_weights_basis"])
    audit.record(
        actor=actor,
        action="par_campaign.answer_weights",
        obj=campaign,
        unit=campaign.organiser,
        before=before,
        after={"answer_weights": campaign.answer_weights, "basis": campaign.answer_weights_basis},
    )
    return campaign


def _store_answers(
    actor: Any, campaign: Campaign, rows: list[tuple[Question, Unit, str, str]], channel: str
) -> dict[str, int]:
    existing = {
        (answer.question_id, answer.unit_id, answer.respondent): answer
        for answer in SurveyAnswer.objects.filter(
            question__in={question for question, *_rest in rows}, unit__in={unit for _q, unit, *_rest in rows}
        )
    }
    entered_by = audit.signed_in(actor)
    new, changed = [], []
    for question, unit, respondent, answer in rows:
        stored = existing.get((question.pk, unit.pk, respondent))
        if stored is None:
            new.append(
                SurveyAnswer(
                    question=question,
                    unit=unit,
                    respondent=respondent,
                    answer=answer,
                    channel=channel,
                    entered_by=entered_by,
                )
            )
        elif stored.answer != answer:
            stored.answer = answer
            changed.append(stored)
    SurveyAnswer.objects.bulk_create(new, batch_size=2000)
    SurveyAnswer.objects.bulk_update(changed, ["answer"], batch_size=2000)
    created, updated = len(new), len(changed)
    audit.record(
        actor=actor,
        action="par_survey.answers",
        obj=campaign,
        unit=campaign.organiser,
        after={"created": created, "updated": updated, "channel": channel},
    )
    return {"created": created, "updated": updated, "unchanged": len(rows) - created - updated}


def _check_answer(campaign: Campaign, answer: str) -> str:
    letter = answer.strip().upper()
    if letter not in campaign.answer_weights:
        raise ValidationError(
            _("“%(answer)s” is not an answer of this survey (%(letters)s).")
            % {"answer": answer, "letters": ", ".join(campaign.answer_weights)}
        )
    return letter


@transaction.atomic
def record_response(
    *, actor: Any, questionnaire: Questionnaire, unit: Unit, respondent: str, answers: dict[str, str]
) -> dict[str, int]:
    """One respondent's form entered online: question code -> answer letter."""
    campaign = questionnaire.campaign
    require(actor, PLAN, campaign.organiser)
    _require_open(campaign)
    if not respondent.strip():
        raise ValidationError({"respondent": _("Give the respondent's form number.")})
    if not campaign.assessments.filter(unit=unit, criteria_set=questionnaire.criteria_set_id).exists():
        raise ValidationError(
            {"unit": _("%(unit)s is not asked about in this questionnaire.") % {"unit": unit.name}}
        )
    questions = {question.code: question for question in questionnaire.questions.all()}
    rows = []
    for code, answer in answers.items():
        if not str(answer).strip():
            continue
        if code not in questions:
            raise ValidationError(_("The questionnaire has no question %(code)s.") % {"code": code})
        rows.append((questions[code], unit, respondent.strip(), _check_answer(campaign, str(answer))))
    if not rows:
        raise ValidationError(_("The form has no answers."))
    return _store_answers(actor, campaign, rows, AnswerChannel.ONLINE)


@transaction.atomic
def import_answers(*, actor: Any, campaign: Campaign, content: bytes, filename: str) -> dict[str, int]:
    """Answers from XLSX or CSV in long form; every row checked first, then all stored or none."""
    require(actor, PLAN, campaign.organiser)
    _require_open(campaign)
    records, problems = read_table(content, filename, RESPONSE_COLUMNS)
    if problems:
        raise ImportRefused([(problem.row, problem.column, problem.message) for problem in problems])
    questions = {
        (question.questionnaire.code, question.code): question
        for question in Question.objects.filter(questionnaire__campaign=campaign).select_related(
            "questionnaire"
        )
    }
    scored = {assessment.unit.code: assessment for assessment in campaign.assessments.select_related("unit")}
    errors: list[tuple[int | None, str, str]] = []
    rows = []
    seen: set[tuple[int, int, str]] = set()
    for record in records:
        number = record["_row"]
        question = questions.get(
            (str(record["questionnaire_code"]).strip(), str(record["question_code"]).strip())
        )
        assessment = scored.get(str(record["unit_code"]).strip())
        unit = assessment.unit if assessment is not None else None
        respondent = str(record["respondent"]).strip()
        if question is None:
            errors.append((number, "question_code", _("No such question in this campaign's questionnaires.")))
        if unit is None:
            errors.append((number, "unit_code", _("No unit with this code is scored in this campaign.")))
        if not respondent:
            errors.append((number, "respondent", _("The respondent's form number is empty.")))
        try:
            letter = _check_answer(campaign, str(record["answer"]))
        except ValidationError as error:
            errors.append((number, "answer", " ".join(error.messages)))
            continue
        if question is None or assessment is None or unit is None or not respondent:
            continue
        if assessment.criteria_set_id != question.questionnaire.criteria_set_id:
            errors.append((number, "unit_code", _("This questionnaire does not ask about this unit.")))
            continue
        key = (question.pk, unit.pk, respondent)
        if key in seen:
            errors.append((number, "respondent", _("This respondent already answered this question above.")))
            continue
        seen.add(key)
        rows.append((question, unit, respondent, letter))
    if errors:
        raise ImportRefused(errors)
    return _store_answers(actor, campaign, rows, AnswerChannel.IMPORT)
