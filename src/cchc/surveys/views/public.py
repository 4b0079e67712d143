"""The citizens' public pages: a unit's satisfaction survey, and feedback (PAKN) with its follow-up.

No account is needed. A POST passes the checks of `antispam` first, then its form, then the service,
which has the last word; a refusal shows the page again with the message and what the citizen typed.
A receipt code is the citizen's only key: a feedback shows only to whoever gives its code, and the
list of published answers shows neither receipt codes nor contact details. After a successful
submission the receipt code waits in the session for a short while, so that reloading the thank-you
page shows it again but the next person at a shared computer does not see it.
"""

import time
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.kit.views import paginate, run_service
from cchc.surveys import antispam
from cchc.surveys.forms.public import FeedbackForm, RateForm, ReopenForm, SurveyForm
from cchc.surveys.models import (
    FINISHED,
    CampaignStatus,
    Feedback,
    FeedbackChannel,
    SurveyCampaign,
    UnitQuota,
)
from cchc.surveys.queries import feedback as queries
from cchc.surveys.queries.feedback import ANSWER_SHOWN
from cchc.surveys.services import feedback as feedback_services
from cchc.surveys.services import sipas
from cchc.units.models import Unit

# The kinds of form, each with its own allowance of submissions per hour.
SURVEY, FEEDBACK, RATE, REOPEN = "survey", "feedback", "feedback-rate", "feedback-reopen"
SURVEY_RECEIPT, FEEDBACK_RECEIPT = "public-survey-receipt", "public-feedback-receipt"
RECEIPT_SHOWN_SECONDS = 15 * 60
PUBLISHED_PER_PAGE = 20


# -- shared ---------------------------------------------------------------------------------------


def _remember_receipt(request: HttpRequest, key: str, code: str, **extra: str) -> None:
    request.session[key] = {"code": code, "at": time.time(), **extra}


def _recalled_receipt(request: HttpRequest, key: str, **extra: str) -> str:
    """The receipt code of this browser's last submission, if it is recent and matches `extra`."""
    kept = request.session.get(key)
    if not isinstance(kept, dict) or time.time() - kept.get("at", 0) > RECEIPT_SHOWN_SECONDS:
        return ""
    if any(kept.get(name) != value for name, value in extra.items()):
        return ""
    return str(kept.get("code", ""))


def _chosen_province(request: HttpRequest) -> tuple[Unit | None, list[Unit]]:
    """The province whose pages these are: the only one, or the one named by `?tinh=<code>`."""
    provinces = queries.receiving_provinces()
    if len(provinces) == 1:
        return provinces[0], provinces
    wanted = request.GET.get("tinh", "").strip()
    chosen = next((province for province in provinces if wanted and province.code == wanted), None)
    return chosen, provinces


# -- the satisfaction survey ----------------------------------------------------------------------


def _quota(token: str) -> UnitQuota:
    return get_object_or_404(
        UnitQuota.objects.select_related("campaign__organiser", "unit"), link_token=token
    )


def _collecting(campaign: SurveyCampaign) -> bool:
    today = timezone.localdate()
    return (
        campaign.status == CampaignStatus.OPEN
        and (campaign.starts_on is None or campaign.starts_on <= today)
        and (campaign.ends_on is None or today <= campaign.ends_on)
    )


def _sections(form: SurveyForm) -> list[dict[str, Any]]:
    """The questions grouped by element in questionnaire order; general questions come last."""
    sections: list[dict[str, Any]] = []
    for question in form.questions:
        if not sections or sections[-1]["element_id"] != question.element_id:
            sections.append({"element_id": question.element_id, "element": question.element, "items": []})
        sections[-1]["items"].append({"question": question, "field": form[SurveyForm.name_for(question)]})
    return sections


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    quota = _quota(token)
    campaign = quota.campaign
    context: dict[str, Any] = {"quota": quota, "campaign": campaign, "province": campaign.organiser}
    if not _collecting(campaign):
        return render(request, "surveys/public/survey_closed.html", context)
    questions = campaign.questions.select_related("element").order_by("position", "pk")
    status, notices = 200, []
    if request.method == "POST":
        form = SurveyForm(request.POST, questions=questions)
        refusal = antispam.check(request, SURVEY)
        if refusal is not None:
            status, notices = refusal.status, [refusal.message]
        elif form.is_valid():
            done, response = run_service(
                request,
                lambda: antispam.once(
                    request,
                    SURVEY,
                    lambda: sipas.submit_web_response(
                        link_token=token,
                        answers=form.answers(),
                        invitation_code=form.cleaned_data["invitation"],
                        field=form.cleaned_data["field"],
                    ),
                ),
                form=form,
            )
            if done:
                _remember_receipt(request, SURVEY_RECEIPT, response.receipt_code, token=token)
                return redirect("public:survey-done", token=token)
    else:
        form = SurveyForm(questions=questions, initial={"invitation": request.GET.get("ma", "")[:20]})
    wrong = [question for question in form.questions if form[form.name_for(question)].errors]
    context |= {
        "form": form,
        "first_error": f"question-{wrong[0].code}" if wrong else "",
        "sections": _sections(form),
        "notices": notices,
        "antispam": antispam.form_context(SURVEY),
    }
    return render(request, "surveys/public/survey.html", context, status=status)


@never_cache
@require_GET
def survey_done(request: HttpRequest, token: str) -> HttpResponse:
    quota = _quota(token)
    return render(
        request,
        "surveys/public/survey_done.html",
        {
            "quota": quota,
            "campaign": quota.campaign,
            "province": quota.campaign.organiser,
            "receipt_code": _recalled_receipt(request, SURVEY_RECEIPT, token=token),
        },
    )


# -- feedback (PAKN) ------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest) -> HttpResponse:
    province, provinces = _chosen_province(request)
    if province is None:
        if not provinces:
            raise Http404(_("No province receives feedback on this site."))
        return render(request, "surveys/public/choose_province.html", {"provinces": provinces})
    status, notices = 200, []
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        refusal = antispam.check(request, FEEDBACK)
        if refusal is not None:
            status, notices = refusal.status, [refusal.message]
        elif form.is_valid():
            data = form.cleaned_data
            done, received = run_service(
                request,
                lambda: antispam.once(
                    request,
                    FEEDBACK,
                    lambda: feedback_services.receive_feedback(
                        actor=None,
                        organiser=province,
                        kind=data["kind"],
                        title=data["title"],
                        content=data["content"],
                        contact=data["contact"],
                        consent_to_publish=data["consent_to_publish"],
                        procedure_code=data["procedure_code"],
                        channel=FeedbackChannel.WEB,
                    ),
                ),
                form=form,
            )
            if done:
                _remember_receipt(request, FEEDBACK_RECEIPT, received.receipt_code)
                return redirect("public:feedback-done")
    else:
        form = FeedbackForm()
    context = {
        "province": province,
        "form": form,
        "notices": notices,
        "antispam": antispam.form_context(FEEDBACK),
    }
    return render(request, "surveys/public/feedback.html", context, status=status)


@never_cache
@require_GET
def feedback_done(request: HttpRequest) -> HttpResponse:
    province, _provinces = _chosen_province(request)
    code = _recalled_receipt(request, FEEDBACK_RECEIPT)
    found = _find(code) if province is None else None
    if found is not None:
        province = found.organiser
    return render(request, "surveys/public/feedback_done.html", {"province": province, "receipt_code": code})


def _find(code: str) -> Feedback | None:
    if not code:
        return None
    try:
        return feedback_services.by_receipt(code[:20])
    except ValidationError:
        return None


def _status_page(
    request: HttpRequest,
    code: str,
    *,
    status: int = 200,
    notices: list[str] | None = None,
    rate_form: RateForm | None = None,
    reopen_form: ReopenForm | None = None,
) -> HttpResponse:
    """A feedback's progress for whoever holds its receipt code; nothing at all for a wrong code."""
    code = code.strip().upper()[:20]
    found = _find(code)
    province = found.organiser if found is not None else _chosen_province(request)[0]
    context: dict[str, Any] = {
        "province": province,
        "code": code,
        "feedback": found,
        "not_found": bool(code) and found is None,
        "notices": notices or [],
    }
    if found is not None:
        initial = {"code": found.receipt_code}
        context |= {
            "answer_shown": found.status in ANSWER_SHOWN,
            "can_rate": found.status in ANSWER_SHOWN,
            "can_reopen": found.status in FINISHED,
            "rate_form": rate_form or RateForm(initial=initial | {"rating": found.rating or None}),
            "reopen_form": reopen_form or ReopenForm(initial=initial),
            "rate_antispam": antispam.form_context(RATE),
            "reopen_antispam": antispam.form_context(REOPEN),
        }
    return render(request, "surveys/public/feedback_status.html", context, status=status)


def _back_to_status(code: str) -> HttpResponse:
    return redirect(f"{reverse('public:feedback-status')}?{urlencode({'ma': code})}")


@never_cache
@require_GET
def feedback_status(request: HttpRequest) -> HttpResponse:
    return _status_page(request, request.GET.get("ma", ""))


@never_cache
@require_POST
def feedback_rate(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("code", "")
    refusal = antispam.check(request, RATE)
    if refusal is not None:
        return _status_page(request, code, status=refusal.status, notices=[refusal.message])
    form = RateForm(request.POST)
    if not form.is_valid() or _find(form.cleaned_data["code"]) is None:
        return _status_page(request, code, rate_form=form)
    try:
        antispam.once(
            request,
            RATE,
            lambda: feedback_services.rate_answer(
                receipt_code=form.cleaned_data["code"], rating=form.cleaned_data["rating"]
            ),
        )
    except ValidationError as error:
        return _status_page(request, code, notices=error.messages)
    messages.success(request, _("Thank you: your rating of the answer has been recorded."))
    return _back_to_status(form.cleaned_data["code"])


@never_cache
@require_POST
def feedback_reopen(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("code", "")
    refusal = antispam.check(request, REOPEN)
    if refusal is not None:
        return _status_page(request, code, status=refusal.status, notices=[refusal.message])
    form = ReopenForm(request.POST)
    if not form.is_valid() or _find(form.cleaned_data["code"]) is None:
        return _status_page(request, code, reopen_form=form)
    try:
        antispam.once(
            request,
            REOPEN,
            lambda: feedback_services.reopen_feedback(
                receipt_code=form.cleaned_data["code"], reason=form.cleaned_data["reason"]
            ),
        )
    except ValidationError as error:
        return _status_page(request, code, notices=error.messages, reopen_form=form)
    messages.success(request, _("Your feedback will be handled again. You can follow it on this page."))
    return _back_to_status(form.cleaned_data["code"])


@require_GET
def feedback_published(request: HttpRequest) -> HttpResponse:
    """Answered feedback whose author agreed to publication, newest first: no codes, no contacts."""
    province, provinces = _chosen_province(request)
    one_of_several = province is not None and len(provinces) > 1
    answers = queries.published_answers(province if one_of_several else None)
    query = urlencode({"tinh": province.code}) if one_of_several else ""
    page, _query = paginate(request, answers, PUBLISHED_PER_PAGE)
    return render(
        request,
        "surveys/public/feedback_published.html",
        {"province": province, "page": page, "query": query},
    )
