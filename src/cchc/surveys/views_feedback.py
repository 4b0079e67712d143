"""Staff pages of citizen feedback (PAKN): the list and its XLSX export, one feedback with the actions its
status and the user's rights allow, the staff entry form, the import of another system's export and the
figures per unit for a period.

Scoping: a user sees the feedback routed to the units he may view; feedback not yet routed belongs to the
receiving authority and is seen by those who view that authority as a whole (the reform office, the
leadership). Everything is fetched through that queryset, so another unit's feedback answers 404. The
actions are POST only and go through the services; a user who sees a feedback but may not do the action
gets 403, a refusal for the status or the content comes back as a message.
"""

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from cchc.accounts.permissions import ENTER, PLAN, VIEW, has_any_permission, has_unit_permission, scope_filter
from cchc.core.metrics import Ratio
from cchc.core.models import AuditEntry
from cchc.core.periods import Period
from cchc.surveys import metrics
from cchc.surveys.forms_feedback import (
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
from cchc.surveys.models import (
    FINISHED,
    Feedback,
    FeedbackChannel,
    FeedbackKind,
    FeedbackStatus,
    FeedbackStep,
)
from cchc.surveys.services import feedback as services
from cchc.surveys.services.common import ImportRefused
from cchc.surveys.services.feedback_import import COLUMNS, OPTIONAL, import_feedback
from cchc.units.models import Unit
from cchc.workdays.calendar import WorkCalendar, get_calendar, working_days_between

PAGE_SIZE = 50
ONE_DAY = datetime.timedelta(days=1)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Statuses in which the unit is expected to move: the answer deadline runs.
PENDING = (FeedbackStatus.RECEIVED, FeedbackStatus.ROUTED)
STEP_LABELS: dict[str, Any] = {
    FeedbackStep.HANDLE: gettext_lazy("Reply"),
    FeedbackStep.PUBLISH: gettext_lazy("Publication"),
}


# -- what a user sees and may do ------------------------------------------------------------------


def visible_feedback(user: Any) -> QuerySet[Feedback]:
    """Feedback routed to a unit the user may view, and feedback not yet routed whose receiving authority
    the user views as a whole."""
    routed = Q(unit__isnull=False) & scope_filter(user, VIEW, "unit__path")
    unrouted = Q(unit__isnull=True) & scope_filter(user, VIEW, "organiser__path")
    return Feedback.objects.filter(routed | unrouted).select_related("unit", "organiser")


def overdue_q(today: datetime.date) -> Q:
    """Feedback whose next step is late today: unanswered past the answer deadline, or an answer the
    citizen allowed to publish that is still unpublished past the publication deadline. Feedback waiting
    for the citizen's information is not counted: the answer deadline starts again when it arrives."""
    return Q(status__in=PENDING, handle_due__lt=today) | Q(
        status__in=(FeedbackStatus.ANSWERED, FeedbackStatus.CLOSED),
        consent_to_publish=True,
        published_at__isnull=True,
        publish_due__lt=today,
    )


@dataclass(frozen=True)
class Rights:
    office: bool  # the reform office of the receiving authority (PLAN on it)
    handler: bool  # the office, or the responsible unit's staff (ENTER on it)

    @classmethod
    def of(cls, user: Any, feedback: Feedback) -> "Rights":
        office = has_unit_permission(user, PLAN, feedback.organiser)
        unit_staff = feedback.unit is not None and has_unit_permission(user, ENTER, feedback.unit)
        return cls(office=office, handler=office or unit_staff)


def allowed_actions(user: Any, feedback: Feedback) -> set[str]:
    """The actions to offer on the page: what the user's rights and the feedback's status allow."""
    rights, status = Rights.of(user, feedback), feedback.status
    offered = set()
    if rights.office and status in PENDING:
        offered.add("route")
    if rights.handler and status in PENDING:
        offered.add("refuse")
    if rights.handler and status == FeedbackStatus.ROUTED and feedback.info_requested_at is None:
        offered.add("request-info")
    if rights.handler and status == FeedbackStatus.INFO_REQUESTED:
        offered.add("info-received")
    if rights.handler and status == FeedbackStatus.ROUTED and feedback.unit is not None:
        offered.add("answer")
    if (
        rights.handler
        and status in (FeedbackStatus.ANSWERED, FeedbackStatus.CLOSED)
        and feedback.consent_to_publish
        and feedback.published_at is None
    ):
        offered.add("publish")
    if rights.office and status == FeedbackStatus.ANSWERED:
        offered.add("close")
    return offered


# -- deadlines as shown in the list ---------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    """The deadline of the step the feedback waits for, and the working days left (negative: overdue)."""

    step: str
    due: datetime.date | None
    days: int | None

    @property
    def overdue(self) -> bool:
        return self.days is not None and self.days < 0

    @property
    def days_overdue(self) -> int:
        return -self.days if self.days is not None and self.days < 0 else 0

    @property
    def step_label(self) -> str:
        return str(STEP_LABELS.get(self.step, ""))


def working_days_left(due: datetime.date, today: datetime.date, calendar: WorkCalendar) -> int:
    """Working days after today up to the deadline; minus the working days past it when overdue."""
    if due > today:
        return working_days_between(today + ONE_DAY, due, calendar=calendar)
    if due == today:
        return 0
    return -working_days_between(due + ONE_DAY, today, calendar=calendar)


def clock(feedback: Feedback, today: datetime.date, calendar: WorkCalendar) -> Clock:
    if feedback.status in PENDING:
        step, due = FeedbackStep.HANDLE, feedback.handle_due
    elif (
        feedback.status in (FeedbackStatus.ANSWERED, FeedbackStatus.CLOSED)
        and feedback.consent_to_publish
        and feedback.published_at is None
        and feedback.publish_due is not None
    ):
        step, due = FeedbackStep.PUBLISH, feedback.publish_due
    else:
        return Clock(step="", due=None, days=None)
    return Clock(step=step, due=due, days=working_days_left(due, today, calendar))


# -- the list and its export ----------------------------------------------------------------------


def _visible_units(user: Any) -> QuerySet[Unit]:
    return Unit.objects.for_user(user, VIEW).active_on(timezone.localdate())


def _filtered(request: HttpRequest) -> tuple[FeedbackFilter, QuerySet[Feedback]]:
    form = FeedbackFilter(request.GET or None, units=_visible_units(request.user))
    feedback = visible_feedback(request.user)
    if form.is_bound:
        form.is_valid()  # the fields that are valid filter; the others are shown with their error
        data = getattr(form, "cleaned_data", {})
        if data.get("status"):
            feedback = feedback.filter(status=data["status"])
        if data.get("kind"):
            feedback = feedback.filter(kind=data["kind"])
        if data.get("unit") is not None:
            feedback = feedback.filter(unit__path__startswith=data["unit"].path)
        if data.get("month"):
            year, month = data["month"]
            feedback = feedback.filter(received_at__year=year, received_at__month=month)
        if data.get("overdue"):
            feedback = feedback.filter(overdue_q(timezone.localdate()))
    return form, feedback.order_by("-received_at", "-pk")


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _rows(feedback_list: Any) -> list[dict[str, Any]]:
    today, calendar = timezone.localdate(), get_calendar()
    return [
        {
            "feedback": feedback,
            "clock": clock(feedback, today, calendar),
            "on_time": metrics.handled_on_time(feedback, today),
        }
        for feedback in feedback_list
    ]


def _render_list(
    request: HttpRequest,
    *,
    upload: FeedbackImportForm | None = None,
    import_errors: list[tuple[int | None, str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    form, feedback = _filtered(request)
    page = Paginator(feedback, PAGE_SIZE).get_page(request.GET.get("page"))
    importers = top_units(request.user, PLAN)
    context = {
        "form": form,
        "page": page,
        "rows": _rows(page),
        "query": _query_without_page(request),
        "can_enter": has_any_permission(request.user, ENTER),
        "upload_form": (upload or FeedbackImportForm(organisers=importers)) if importers.exists() else None,
        "import_errors": import_errors or [],
        "columns": [*COLUMNS, *OPTIONAL],
    }
    return render(request, "surveys/feedback/list.html", context, status=status)


@login_required
@require_GET
def feedback_list(request: HttpRequest) -> HttpResponse:
    return _render_list(request)


# Vietnamese wording of the workbook, which is an administrative document whatever the interface language.
STATUS_VI: dict[str, str] = {
    FeedbackStatus.RECEIVED: "Đã tiếp nhận, chưa chuyển xử lý",
    FeedbackStatus.ROUTED: "Đang xử lý",
    FeedbackStatus.INFO_REQUESTED: "Chờ bổ sung thông tin",
    FeedbackStatus.REFUSED: "Từ chối xử lý",
    FeedbackStatus.ANSWERED: "Đã trả lời",
    FeedbackStatus.CLOSED: "Đã kết thúc",
}
KIND_VI: dict[str, str] = {
    FeedbackKind.PROCEDURE: "Về thủ tục hành chính",
    FeedbackKind.OFFICIAL: "Về hành vi của cán bộ, công chức",
    FeedbackKind.OTHER: "Khác",
}
CHANNEL_VI: dict[str, str] = {
    FeedbackChannel.WEB: "Cổng thông tin",
    FeedbackChannel.STAFF: "Cán bộ tiếp nhận",
    FeedbackChannel.IMPORT: "Nhập từ hệ thống khác",
}
ON_TIME_VI = {True: "Đúng hạn", False: "Quá hạn", None: "Chưa đến hạn"}
EXPORT_HEADINGS = [
    ("Mã biên nhận", 16),
    ("Ngày tiếp nhận", 17),
    ("Tiêu đề", 48),
    ("Loại phản ánh, kiến nghị", 28),
    ("Kênh tiếp nhận", 20),
    ("Đơn vị xử lý", 30),
    ("Trạng thái", 28),
    ("Hạn trả lời", 13),
    ("Hạn của bước đang chờ", 13),
    ("Số ngày làm việc còn lại (âm: quá hạn)", 16),
    ("Ngày trả lời", 17),
    ("Ngày công khai", 17),
    ("Bước trễ hạn", 24),
    ("Đánh giá của người dân", 16),
    ("Số lần phản ánh lại", 10),
    ("Xử lý đúng hạn", 14),
]
STEP_VI: dict[str, str] = {
    FeedbackStep.REFUSE: "từ chối",
    FeedbackStep.MORE_INFO: "yêu cầu bổ sung",
    FeedbackStep.HANDLE: "trả lời",
    FeedbackStep.PUBLISH: "công khai",
}
RATING_VI: dict[str, str] = {"satisfied": "Hài lòng", "unsatisfied": "Không hài lòng"}


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A naive local datetime for a spreadsheet cell (Excel has no time zones)."""
    return None if moment is None else timezone.localtime(moment).replace(tzinfo=None)


def feedback_workbook(feedback: QuerySet[Feedback]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Phản ánh, kiến nghị"
    today, calendar = timezone.localdate(), get_calendar()
    sheet.append([f"DANH SÁCH PHẢN ÁNH, KIẾN NGHỊ (trích xuất ngày {today:%d/%m/%Y})"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append([heading for heading, _width in EXPORT_HEADINGS])
    fill = PatternFill("solid", fgColor="D9E1F2")
    for index, (_heading, width) in enumerate(EXPORT_HEADINGS, start=1):
        cell = sheet.cell(row=3, column=index)
        cell.font, cell.fill = Font(bold=True), fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[cell.column_letter].width = width
    for item in feedback:
        state = clock(item, today, calendar)
        sheet.append(
            [
                item.receipt_code,
                _local(item.received_at),
                item.title,
                KIND_VI.get(item.kind, item.kind),
                CHANNEL_VI.get(item.channel, item.channel),
                item.unit.name if item.unit else None,
                STATUS_VI.get(item.status, item.status),
                item.handle_due,
                state.due,
                state.days,
                _local(item.answered_at),
                _local(item.published_at),
                ", ".join(STEP_VI.get(step, step) for step in item.late_steps) or None,
                RATING_VI.get(item.rating),
                item.reopened_count,
                ON_TIME_VI[metrics.handled_on_time(item, today)],
            ]
        )
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            if isinstance(cell.value, datetime.datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(cell.value, datetime.date):
                cell.number_format = "dd/mm/yyyy"
    sheet.freeze_panes = "B4"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@login_required
@require_GET
def feedback_xlsx(request: HttpRequest) -> HttpResponse:
    """The list as filtered, every page of it, as a workbook."""
    _form, feedback = _filtered(request)
    response = HttpResponse(feedback_workbook(feedback), content_type=XLSX_TYPE)
    name = f"phan-anh-kien-nghi-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


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
    except ImportRefused as refused:
        return _render_list(request, upload=form, import_errors=refused.rows, status=400)
    except ValidationError as error:
        form.add_error(None, error.messages)
        return _render_list(request, upload=form, status=400)
    messages.success(
        request,
        _("%(created)s feedback imported; %(unchanged)s already imported before were left as they were.")
        % counts,
    )
    return redirect("surveys:feedback-list")


# -- a new feedback entered by staff --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def feedback_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not has_any_permission(user, ENTER):
        raise PermissionDenied(_("You may not enter citizen feedback."))
    units = Unit.objects.for_user(user, ENTER).active_on(timezone.localdate())
    form = NewFeedbackForm(request.POST or None, organisers=top_units(user, ENTER), units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organiser, unit = data["organiser"], data["unit"]
        if unit is None and not has_unit_permission(user, ENTER, organiser):
            form.add_error("unit", _("Choose the unit responsible for it."))
        else:
            try:
                feedback = services.receive_feedback(
                    actor=user,
                    organiser=organiser,
                    unit=unit,
                    kind=data["kind"],
                    title=data["title"],
                    content=data["content"],
                    contact=data["contact"],
                    consent_to_publish=data["consent_to_publish"],
                    procedure_code=data["procedure_code"],
                    channel=FeedbackChannel.STAFF,
                    received_at=data["received_at"],
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The feedback is recorded with the receipt code %(code)s.")
                    % {"code": feedback.receipt_code},
                )
                return redirect("surveys:feedback-detail", pk=feedback.pk)
    status = 400 if form.is_bound else 200
    return render(request, "surveys/feedback/new.html", {"form": form}, status=status)


def _form_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# -- one feedback and its actions -----------------------------------------------------------------


def _history(user: Any, feedback: Feedback) -> QuerySet[AuditEntry]:
    """The feedback's audit entries the user may read, and those made while it belonged to its receiving
    authority or to its present unit (both shown on the page anyway). An entry made while another unit
    held it stays out of sight of those who do not view that unit."""
    own_units = [pk for pk in (feedback.organiser_id, feedback.unit_id) if pk is not None]
    readable = AuditEntry.objects.for_user(user).values("pk")
    return (
        AuditEntry.objects.for_object(feedback)
        .filter(Q(pk__in=readable) | Q(unit_id__in=own_units))
        .select_related("unit")
    )


def _steps(feedback: Feedback) -> list[dict[str, Any]]:
    done = {
        FeedbackStep.REFUSE: feedback.refused_at,
        FeedbackStep.MORE_INFO: feedback.info_requested_at,
        FeedbackStep.HANDLE: feedback.answered_at,
        FeedbackStep.PUBLISH: feedback.published_at,
    }
    due = {
        FeedbackStep.REFUSE: feedback.refuse_due,
        FeedbackStep.MORE_INFO: feedback.info_request_due,
        FeedbackStep.HANDLE: feedback.handle_due,
        FeedbackStep.PUBLISH: feedback.publish_due,
    }
    return [
        {
            "step": step.value,
            "label": step.label,
            "due": due[step],
            "done": done[step],
            "late": step.value in feedback.late_steps,
        }
        for step in FeedbackStep
    ]


@login_required
@require_GET
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = get_object_or_404(visible_feedback(request.user), pk=pk)
    actions = allowed_actions(request.user, feedback)
    today = timezone.localdate()
    context = {
        "feedback": feedback,
        "actions": actions,
        "steps": _steps(feedback),
        "clock": clock(feedback, today, get_calendar()),
        "on_time": metrics.handled_on_time(feedback, today),
        "entries": _history(request.user, feedback),
        "route_form": RouteForm(organiser=feedback.organiser) if "route" in actions else None,
        "refuse_form": RefuseForm(),
        "request_form": RequestInformationForm(),
        "received_form": InformationReceivedForm(),
        "answer_form": AnswerForm(),
    }
    return render(request, "surveys/feedback/detail.html", context)


Handler = Callable[[HttpRequest, Feedback, dict[str, Any]], Feedback]


def _act(
    request: HttpRequest,
    pk: int,
    *,
    office_only: bool,
    form_class: type,
    handler: Handler,
    done: str,
) -> HttpResponse:
    """Fetch the feedback within the user's reach (404), check the user's right to the action (403),
    then let the service decide on the status and content (a message)."""
    feedback = get_object_or_404(visible_feedback(request.user), pk=pk)
    rights = Rights.of(request.user, feedback)
    if not (rights.office if office_only else rights.handler):
        raise PermissionDenied(_("You may not handle this feedback."))
    kwargs = {"organiser": feedback.organiser} if form_class is RouteForm else {}
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        problems = [str(message) for errors in form.errors.values() for message in errors]
        messages.error(request, " ".join(problems))
        return redirect("surveys:feedback-detail", pk=feedback.pk)
    try:
        handler(request, feedback, form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("surveys:feedback-detail", pk=feedback.pk)


@login_required
@require_POST
def feedback_route(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        office_only=True,
        form_class=RouteForm,
        handler=lambda request, feedback, data: services.route_feedback(
            actor=request.user, feedback=feedback, unit=data["unit"]
        ),
        done=_("The feedback was sent to the responsible unit."),
    )


@login_required
@require_POST
def feedback_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        office_only=False,
        form_class=RefuseForm,
        handler=lambda request, feedback, data: services.refuse_feedback(
            actor=request.user, feedback=feedback, reason=data["reason"]
        ),
        done=_("The feedback was refused."),
    )


@login_required
@require_POST
def feedback_request_info(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        office_only=False,
        form_class=RequestInformationForm,
        handler=lambda request, feedback, data: services.request_information(
            actor=request.user, feedback=feedback, text=data["text"]
        ),
        done=_("The citizen was asked for more information."),
    )


@login_required
@require_POST
def feedback_info_received(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        office_only=False,
        form_class=InformationReceivedForm,
        handler=lambda request, feedback, data: services.information_received(
            actor=request.user, feedback=feedback, received_at=data["received_at"]
        ),
        done=_("The information was recorded; the time to answer starts again."),
    )


@login_required
@require_POST
def feedback_answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        office_only=False,
        form_class=AnswerForm,
        handler=lambda request, feedback, data: services.answer_feedback(
            actor=request.user, feedback=feedback, text=data["text"]
        ),
        done=_("The answer was recorded."),
    )


@login_required
@require_POST
def feedback_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        office_only=False,
        form_class=EmptyForm,
        handler=lambda request, feedback, data: services.publish_answer(
            actor=request.user, feedback=feedback
        ),
        done=_("The answer was published."),
    )


@login_required
@require_POST
def feedback_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        office_only=True,
        form_class=EmptyForm,
        handler=lambda request, feedback, data: services.close_feedback(
            actor=request.user, feedback=feedback
        ),
        done=_("The feedback was closed."),
    )


# -- figures per unit -----------------------------------------------------------------------------


def _ratio_value(ratio: Ratio | None) -> Any:
    return None if ratio is None else ratio.value


def unit_figures(unit: Unit, period: Period, today: datetime.date) -> dict[str, Any]:
    """The feedback of the unit (routed to it or below, or received by it and not yet routed) received in
    the period, counted on the same base as the two metrics of QĐ 766 5.2 and 5.3."""
    received = metrics.received_in(unit, period)
    on_time = metrics.feedback_on_time(unit, period)
    satisfied = metrics.feedback_satisfied(unit, period)
    return {
        "unit": unit,
        "received": received.count(),
        "handled": received.filter(status__in=FINISHED).count(),
        "overdue": received.filter(overdue_q(today)).count(),
        "on_time": on_time,
        "on_time_value": _ratio_value(on_time),
        "satisfied": satisfied,
        "satisfied_value": _ratio_value(satisfied),
    }


@login_required
@require_GET
def feedback_stats(request: HttpRequest) -> HttpResponse:
    """?unit=&period=: the chosen unit (the user's top unit by default) and each unit right below it."""
    today = timezone.localdate()
    units = Unit.objects.for_user(request.user, VIEW)
    raw_unit = request.GET.get("unit", "").strip()
    if raw_unit:
        try:
            unit_pk = int(raw_unit)
        except ValueError:  # also digits int() refuses, such as "²"
            raise Http404 from None
        unit = get_object_or_404(units, pk=unit_pk)
    else:
        unit = units.active_on(today).order_by("path").first() or units.order_by("path").first()
    raw_period = request.GET.get("period", "").strip() or str(today.year)
    context: dict[str, Any] = {"unit": unit, "raw_period": raw_period, "error": "", "rows": []}
    try:
        period = Period.parse(raw_period)
    except ValueError:
        context["error"] = _("“%(value)s” is not a period: write 2026, 2026-Q2 or 2026-06.") % {
            "value": raw_period
        }
        return render(request, "surveys/feedback/stats.html", context, status=400)
    context["period"] = period
    if unit is not None:
        children = unit.children.active_on(today).order_by("path")
        context["total"] = unit_figures(unit, period, today)
        context["rows"] = [unit_figures(child, period, today) for child in children]
        context["parent"] = unit.parent if unit.parent and units.filter(pk=unit.parent_id).exists() else None
    return render(request, "surveys/feedback/stats.html", context)
