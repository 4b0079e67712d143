"""Staff pages of citizen feedback (PAKN): the list and its XLSX export, one feedback with the actions its
status and the user's rights allow, the staff entry form and the import of another system's export.

Everything is fetched through `Feedback.objects.for_user`, so another unit's feedback answers 404. The
actions are POST only and go through the services; a user who sees a feedback but may not do the action
gets 403 (`services.feedback_rights`), a refusal for the status or the content comes back as a message.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.accounts.permissions import ENTER, PLAN, has_any_permission
from cchc.core.replica import reads_from_replica
from cchc.kit import downloads
from cchc.kit.views import attach_errors, paginate, run_service, submit_form
from cchc.surveys import documents, metrics
from cchc.surveys.forms.feedback import (
    AnswerForm,
    EmptyForm,
    FeedbackFilter,
    FeedbackImportForm,
    InformationReceivedForm,
    NewFeedbackForm,
    RefuseForm,
    RequestInformationForm,
    RouteForm,
    top_units,
)
from cchc.surveys.models import Feedback, FeedbackChannel
from cchc.surveys.queries import feedback as queries
from cchc.surveys.services import feedback as services
from cchc.surveys.services import feedback_rights as rights
from cchc.surveys.services.common import ImportRefused
from cchc.surveys.services.feedback_import import COLUMNS, OPTIONAL, import_feedback
from cchc.units.models import Unit
from cchc.workdays.calendar import get_calendar

PAGE_SIZE = 50


# -- the list and its export ----------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[FeedbackFilter, Any]:
    units = Unit.objects.for_user(request.user).active_on(timezone.localdate())
    form = FeedbackFilter(request.GET or None, units=units)
    data: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # the fields that are valid filter; the others are shown with their error
        data = getattr(form, "cleaned_data", {})
    return form, queries.filtered(request.user, data)


def _render_list(
    request: HttpRequest,
    *,
    upload: FeedbackImportForm | None = None,
    import_errors: list[tuple[int | None, str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    form, feedback = _filtered(request)
    page, query = paginate(request, feedback, PAGE_SIZE)
    importers = top_units(request.user, PLAN)
    context = {
        "form": form,
        "page": page,
        "rows": queries.list_rows(page),
        "query": query,
        "can_enter": may_enter_feedback(request.user),
        "upload_form": (upload or FeedbackImportForm(organisers=importers)) if importers.exists() else None,
        "import_errors": import_errors or [],
        "columns": [*COLUMNS, *OPTIONAL],
    }
    return render(request, "surveys/feedback/list.html", context, status=status)


@login_required
@require_GET
def feedback_list(request: HttpRequest) -> HttpResponse:
    return _render_list(request)


@login_required
@require_GET
@reads_from_replica
def feedback_xlsx(request: HttpRequest) -> HttpResponse:
    """The list as filtered, every page of it, as a workbook."""
    _form, feedback = _filtered(request)
    name = f"phan-anh-kien-nghi-{timezone.localdate():%Y%m%d}.xlsx"
    return downloads.download(documents.feedback_workbook(feedback), name, downloads.XLSX)


@login_required
@require_POST
def feedback_import(request: HttpRequest) -> HttpResponse:
    """Feedback from another system's export: every row is saved, or none and every problem is listed."""
    organisers = top_units(request.user, PLAN)
    if not organisers.exists():
        raise PermissionDenied(_("Only the reform office imports citizen feedback."))
    form = FeedbackImportForm(request.POST, request.FILES, organisers=organisers)
    if not form.is_valid():
        return _render_list(request, upload=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        counts = import_feedback(
            actor=request.user,
            organiser=form.cleaned_data["organiser"],
            content=upload.read(),
            filename=upload.name,
        )
    except ImportRefused as refused:  # the rows' problems, listed as a table
        return _render_list(request, upload=form, import_errors=refused.rows, status=400)
    except ValidationError as error:
        attach_errors(form, error)
        return _render_list(request, upload=form, status=400)
    messages.success(
        request,
        _("%(created)s feedback imported; %(unchanged)s already imported before were left as they were.")
        % counts,
    )
    return redirect("surveys:feedback-list")


# -- a new feedback entered by staff --------------------------------------------------------------


def may_enter_feedback(user) -> bool:
    """Staff who may enter data for some unit may enter a citizen's feedback for it."""
    return has_any_permission(user, ENTER)


@login_required
@require_http_methods(["GET", "POST"])
def feedback_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may_enter_feedback(user):
        raise PermissionDenied(_("You may not enter citizen feedback."))
    units = Unit.objects.for_user(user, ENTER).active_on(timezone.localdate())
    form = NewFeedbackForm(request.POST or None, organisers=top_units(user, ENTER), units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["unit"] is None and not rights.may_leave_unrouted(user, data["organiser"]):
            form.add_error("unit", _("Choose the unit responsible for it."))
        else:
            done, feedback = run_service(
                request,
                lambda: services.receive_feedback(
                    actor=user,
                    organiser=data["organiser"],
                    unit=data["unit"],
                    kind=data["kind"],
                    title=data["title"],
                    content=data["content"],
                    contact=data["contact"],
                    consent_to_publish=data["consent_to_publish"],
                    procedure_code=data["procedure_code"],
                    channel=FeedbackChannel.STAFF,
                    received_at=data["received_at"],
                ),
                form=form,
            )
            if done:
                messages.success(
                    request,
                    _("The feedback is recorded with the receipt code %(code)s.")
                    % {"code": feedback.receipt_code},
                )
                return redirect("surveys:feedback-detail", pk=feedback.pk)
    status = 400 if form.is_bound else 200
    return render(request, "surveys/feedback/new.html", {"form": form}, status=status)


# -- one feedback and its actions -----------------------------------------------------------------


@login_required
@require_GET
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = get_object_or_404(queries.visible(request.user), pk=pk)
    actions = rights.allowed_actions(request.user, feedback)
    today = timezone.localdate()
    context = {
        "feedback": feedback,
        "actions": actions,
        "steps": queries.steps(feedback),
        "clock": queries.clock(feedback, today, get_calendar()),
        "on_time": metrics.handled_on_time(feedback, today),
        "entries": queries.history(request.user, feedback),
        "route_form": RouteForm(organiser=feedback.organiser) if "route" in actions else None,
        "refuse_form": RefuseForm(),
        "request_form": RequestInformationForm(),
        "received_form": InformationReceivedForm(),
        "answer_form": AnswerForm(),
    }
    return render(request, "surveys/feedback/detail.html", context)


def _for_action(request: HttpRequest, pk: int, action: str) -> Feedback:
    """The feedback within the user's reach (else 404) on which the user holds the action's right
    (else 403); the service then decides on the status and the content."""
    feedback = get_object_or_404(queries.visible(request.user), pk=pk)
    rights.require_right(request.user, feedback, action)
    return feedback


def _back(feedback: Feedback) -> HttpResponse:
    return redirect("surveys:feedback-detail", pk=feedback.pk)


@login_required
@require_POST
def feedback_route(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = _for_action(request, pk, "route")
    submit_form(
        request,
        RouteForm(request.POST, organiser=feedback.organiser),
        lambda data: services.route_feedback(actor=request.user, feedback=feedback, unit=data["unit"]),
        success=_("The feedback was sent to the responsible unit."),
    )
    return _back(feedback)


@login_required
@require_POST
def feedback_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = _for_action(request, pk, "refuse")
    submit_form(
        request,
        RefuseForm(request.POST),
        lambda data: services.refuse_feedback(actor=request.user, feedback=feedback, reason=data["reason"]),
        success=_("The feedback was refused."),
    )
    return _back(feedback)


@login_required
@require_POST
def feedback_request_info(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = _for_action(request, pk, "request-info")
    submit_form(
        request,
        RequestInformationForm(request.POST),
        lambda data: services.request_information(actor=request.user, feedback=feedback, text=data["text"]),
        success=_("The citizen was asked for more information."),
    )
    return _back(feedback)


@login_required
@require_POST
def feedback_info_received(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = _for_action(request, pk, "info-received")
    submit_form(
        request,
        InformationReceivedForm(request.POST),
        lambda data: services.information_received(
            actor=request.user, feedback=feedback, received_at=data["received_at"]
        ),
        success=_("The information was recorded; the time to answer starts again."),
    )
    return _back(feedback)


@login_required
@require_POST
def feedback_answer(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = _for_action(request, pk, "answer")
    submit_form(
        request,
        AnswerForm(request.POST),
        lambda data: services.answer_feedback(actor=request.user, feedback=feedback, text=data["text"]),
        success=_("The answer was recorded."),
    )
    return _back(feedback)


@login_required
@require_POST
def feedback_publish(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = _for_action(request, pk, "publish")
    submit_form(
        request,
        EmptyForm(request.POST),
        lambda _data: services.publish_answer(actor=request.user, feedback=feedback),
        success=_("The answer was published."),
    )
    return _back(feedback)


@login_required
@require_POST
def feedback_close(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = _for_action(request, pk, "close")
    submit_form(
        request,
        EmptyForm(request.POST),
        lambda _data: services.close_feedback(actor=request.user, feedback=feedback),
        success=_("The feedback was closed."),
    )
    return _back(feedback)
