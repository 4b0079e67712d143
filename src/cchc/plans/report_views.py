"""Pages of the periodic reports: a plan's rounds, one round's submissions, a unit's report, downloads.

Every object is fetched through a queryset limited to what the user may see, so someone of
another unit gets 404 rather than a hint that the object exists. Changes are POST only and go
through the services, whose refusals are shown as messages.
"""

import datetime
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.accounts.permissions import APPROVE, ENTER, PLAN, SUBMIT, VIEW, has_unit_permission, scope_filter
from cchc.core.evidence import EVIDENCE_SIGNATURES
from cchc.plans import reporting
from cchc.plans.documents import annex_xlsx, consolidated_docx
from cchc.plans.documents.vietnamese import is_committee
from cchc.plans.models import Plan, ReportKind, ReportSchedule, ReportStatus, TaskStatus, UnitReport
from cchc.plans.scoping import plan_filter
from cchc.plans.services import reports as services
from cchc.units.models import Unit

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Usual recipients of a province's CCHC report; the reform office edits them before downloading.
DEFAULT_RECIPIENTS = "\n".join(
    [
        "Bộ Nội vụ",
        "Thường trực Tỉnh ủy",
        "Thường trực HĐND tỉnh",
        "Chủ tịch, các PCT UBND tỉnh",
        "Các sở, ban, ngành",
        "UBND các xã, phường",
    ]
)
ROW_COLOURS = {
    reporting.ON_TIME: "table-success",
    reporting.LATE: "table-warning",
    reporting.MISSING: "table-danger",
    reporting.PENDING: "",
}
TIMELINESS_LABELS = {
    reporting.ON_TIME: gettext_lazy("On time"),
    reporting.LATE: gettext_lazy("Late"),
    reporting.MISSING: gettext_lazy("Missing"),
    reporting.PENDING: gettext_lazy("Not yet due"),
}


class RoundsForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Reports"),
        choices=ReportKind.choices,
        initial=ReportKind.values,
        widget=forms.CheckboxSelectMultiple,
    )
    due_day = forms.IntegerField(label=gettext_lazy("Units report by this day of the period's last month"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["due_day"].initial = services.load_defaults()["due_day"]


class ExportForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Number"), required=False, max_length=50)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=100)
    issued_on = forms.DateField(label=gettext_lazy("Date"), required=False)
    signer_title = forms.CharField(
        label=gettext_lazy("Signer's title"), widget=forms.Textarea(attrs={"rows": 2}), max_length=200
    )
    signer_name = forms.CharField(label=gettext_lazy("Signer"), required=False, max_length=100)
    recipients = forms.CharField(
        label=gettext_lazy("Recipients (one per line)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )


def _schedules(user: Any) -> QuerySet[ReportSchedule]:
    """A round is visible to whoever sees its plan: the issuing unit, the units above or below it."""
    return ReportSchedule.objects.filter(plan_filter(user, "plan__")).select_related(
        "plan__issuing_unit", "legal_basis"
    )


def _reports(user: Any) -> QuerySet[UnitReport]:
    return UnitReport.objects.filter(scope_filter(user, VIEW, "unit__path")).select_related(
        "schedule__plan__issuing_unit", "unit"
    )


def _refusal(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
@require_http_methods(["GET", "POST"])
def report_rounds(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """The rounds of a plan; the reform office creates a year's rounds from the national defaults."""
    plan = get_object_or_404(
        Plan.objects.filter(plan_filter(request.user)).select_related("issuing_unit"), pk=plan_pk
    )
    can_plan = has_unit_permission(request.user, PLAN, plan.issuing_unit)
    form = RoundsForm(initial={"year": timezone.localdate().year})
    if request.method == "POST":
        form = RoundsForm(request.POST)
        if form.is_valid():
            try:
                created = services.create_schedules_for_year(
                    actor=request.user,
                    plan=plan,
                    year=form.cleaned_data["year"],
                    kinds=form.cleaned_data["kinds"],
                    due_day=form.cleaned_data["due_day"],
                )
            except ValidationError as error:
                _refusal(request, error)
            else:
                messages.success(request, _("%(count)s reporting rounds created.") % {"count": len(created)})
                return redirect("plans:report-rounds", plan_pk=plan.pk)
    context = {
        "plan": plan,
        "schedules": plan.schedules.select_related("legal_basis"),
        "can_plan": can_plan,
        "form": form,
    }
    return render(request, "plans/reports/rounds.html", context)


def _export_defaults(schedule: ReportSchedule) -> dict[str, Any]:
    unit = schedule.plan.issuing_unit
    place = unit.name.removeprefix(unit.kind).strip() if unit.kind else unit.name
    title = "CHỦ TỊCH" if is_committee(unit) else "GIÁM ĐỐC"
    return {"place": place, "signer_title": title, "recipients": DEFAULT_RECIPIENTS}


@login_required
@require_GET
def report_round(request: HttpRequest, pk: int) -> HttpResponse:
    """One round: every expected unit the user may see, its report's state and timeliness."""
    schedule = get_object_or_404(_schedules(request.user), pk=pk)
    user = request.user
    rows = [row for row in reporting.submission_table(schedule) if has_unit_permission(user, VIEW, row.unit)]
    context = {
        "schedule": schedule,
        "rows": [
            {"row": row, "colour": ROW_COLOURS[row.timeliness], "label": TIMELINESS_LABELS[row.timeliness]}
            for row in rows
        ],
        "counts": reporting.SubmissionCounts.of(rows),
        "startable": {
            row.unit.pk for row in rows if row.report is None and has_unit_permission(user, ENTER, row.unit)
        },
        "can_export": has_unit_permission(user, PLAN, schedule.plan.issuing_unit),
        "export_form": ExportForm(initial=_export_defaults(schedule)),
    }
    return render(request, "plans/reports/round.html", context)


@login_required
@require_POST
def report_start(request: HttpRequest, schedule_pk: int) -> HttpResponse:
    schedule = get_object_or_404(_schedules(request.user), pk=schedule_pk)
    unit_pk = request.POST.get("unit", "")
    unit = get_object_or_404(
        Unit.objects.for_user(request.user, VIEW), pk=unit_pk if unit_pk.isdigit() else 0
    )
    existing = UnitReport.objects.filter(schedule=schedule, unit=unit).first()
    if existing is not None:
        return redirect("plans:report-detail", pk=existing.pk)
    try:
        report = services.start_report(actor=request.user, schedule=schedule, unit=unit)
    except ValidationError as error:
        _refusal(request, error)
        return redirect("plans:report-round", pk=schedule.pk)
    return redirect("plans:report-detail", pk=report.pk)


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(_reports(request.user), pk=pk)
    user, unit, status = request.user, report.unit, report.status
    editable = status in services.EDITABLE
    status_labels = dict(TaskStatus.choices)
    timeliness = reporting.timeliness(report.schedule, report, timezone.localdate())
    context = {
        "report": report,
        "schedule": report.schedule,
        "lines": [
            {
                **line,
                "status_label": status_labels.get(line["status"], ""),
                "deadline": datetime.date.fromisoformat(line["deadline"]) if line.get("deadline") else None,
            }
            for line in report.task_lines
        ],
        "timeliness": timeliness,
        "timeliness_label": TIMELINESS_LABELS[timeliness],
        "timeliness_colour": ROW_COLOURS[timeliness],
        "task_statuses": TaskStatus.choices,
        "can_edit": editable and has_unit_permission(user, ENTER, unit),
        "can_submit": editable and has_unit_permission(user, SUBMIT, unit),
        "can_approve": status == ReportStatus.SUBMITTED and has_unit_permission(user, APPROVE, unit),
        "can_review": status == ReportStatus.APPROVED
        and has_unit_permission(user, PLAN, report.schedule.plan.issuing_unit),
        "evidence_types": ", ".join(sorted(EVIDENCE_SIGNATURES)),
    }
    return render(request, "plans/reports/detail.html", context)


def _posted_lines(request: HttpRequest, report: UnitReport) -> list[dict[str, Any]]:
    """The task lines as posted: fields status-<task>, progress-<task>, note-<task>."""
    lines = []
    for line in report.task_lines:
        task = line["task"]
        lines.append(
            {
                "task": task,
                "status": request.POST.get(f"status-{task}", line["status"]),
                "progress": request.POST.get(f"progress-{task}", line["progress"]),
                "note": request.POST.get(f"note-{task}", line.get("note", "")),
            }
        )
    return lines


@login_required
@require_POST
def report_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Save, submit, approve, accept or return the report, as the `action` field says."""
    report = get_object_or_404(_reports(request.user), pk=pk)
    action, user = request.POST.get("action", ""), request.user
    comment = request.POST.get("comment", "")
    done = {
        "save": _("The report was saved."),
        "submit": _("The report was sent to the unit's leader."),
        "approve": _("The report was approved and sent to the reform office."),
        "accept": _("The report was accepted; it is now locked."),
        "return": _("The report was returned to the unit."),
    }
    if action not in done:
        messages.error(request, _("Unknown action."))
        return redirect("plans:report-detail", pk=report.pk)
    try:
        if action == "save":
            services.save_report(
                actor=user,
                report=report,
                narrative=request.POST.get("narrative", ""),
                task_lines=_posted_lines(request, report),
                evidence=request.FILES.get("evidence"),
            )
        elif action == "submit":
            services.submit_report(actor=user, report=report)
        elif action == "approve":
            services.approve_report(actor=user, report=report)
        elif action == "accept":
            services.accept_report(actor=user, report=report, comment=comment)
        else:
            services.return_report(actor=user, report=report, comment=comment)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, done[action])
    return redirect("plans:report-detail", pk=report.pk)


@login_required
@require_GET
def report_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The evidence file, served only to those who see the report (never from a public URL)."""
    report = get_object_or_404(_reports(request.user), pk=pk)
    if not report.evidence:
        raise Http404
    return FileResponse(
        report.evidence.open("rb"), as_attachment=True, filename=Path(report.evidence.name).name
    )


def _exportable(request: HttpRequest, pk: int) -> ReportSchedule:
    schedule = get_object_or_404(_schedules(request.user), pk=pk)
    if not has_unit_permission(request.user, PLAN, schedule.plan.issuing_unit):
        raise PermissionDenied(
            _("Only the reform office of %(unit)s exports this report.")
            % {"unit": schedule.plan.issuing_unit.name}
        )
    return schedule


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = _exportable(request, pk)
    data = _export_defaults(schedule)
    if request.GET:
        form = ExportForm(request.GET)
        if not form.is_valid():
            problems = [
                f"{form.fields[name].label}: {' '.join(str(error) for error in errors)}"
                for name, errors in form.errors.items()
            ]
            messages.error(request, " ".join(problems))
            return redirect("plans:report-round", pk=schedule.pk)
        data = form.cleaned_data
    content = consolidated_docx(
        schedule,
        number=data.get("number", ""),
        place=data["place"],
        signer_name=data.get("signer_name", ""),
        signer_title=data["signer_title"],
        recipients=data.get("recipients", "").splitlines(),
        issued_on=data.get("issued_on"),
    )
    return _download(content, DOCX_TYPE, f"bao-cao-cchc-{schedule.period}.docx")


@login_required
@require_GET
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = _exportable(request, pk)
    return _download(annex_xlsx(schedule), XLSX_TYPE, f"phu-luc-bao-cao-cchc-{schedule.period}.xlsx")
