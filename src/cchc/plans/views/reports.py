"""Pages of the periodic reports: a plan's rounds, one round's submissions, a unit's report, downloads.

Every object is fetched through a queryset limited to what the user may see, so someone of
another unit gets 404 rather than a hint that the object exists. Changes are POST only and go
through the services, whose refusals are shown as messages.
"""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.accounts.permissions import APPROVE, ENTER, PLAN, SUBMIT, VIEW, has_unit_permission
from cchc.core.evidence import EVIDENCE_SIGNATURES
from cchc.core.replica import reads_from_replica
from cchc.kit import downloads
from cchc.kit.downloads import download, stored_file
from cchc.kit.views import form_errors_as_messages, run_service
from cchc.kit.wording import is_committee
from cchc.plans import reporting
from cchc.plans.documents import annex_xlsx, consolidated_docx
from cchc.plans.forms.reports import ExportForm, RoundsForm
from cchc.plans.models import Plan, ReportSchedule, ReportStatus, TaskStatus, UnitReport
from cchc.plans.services import reports as services
from cchc.units.models import Unit

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


def _schedules(user: Any) -> QuerySet[ReportSchedule]:
    """A round is visible to whoever sees its plan: the issuing unit, the units above or below it."""
    return ReportSchedule.objects.for_user(user).select_related("plan__issuing_unit", "legal_basis")


def _reports(user: Any) -> QuerySet[UnitReport]:
    return UnitReport.objects.for_user(user).select_related("schedule__plan__issuing_unit", "unit")


@login_required
@require_http_methods(["GET", "POST"])
def report_rounds(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """The rounds of a plan; the reform office creates a year's rounds from the national defaults."""
    plan = get_object_or_404(Plan.objects.for_user(request.user).select_related("issuing_unit"), pk=plan_pk)
    can_plan = has_unit_permission(request.user, PLAN, plan.issuing_unit)
    form = RoundsForm(initial={"year": timezone.localdate().year})
    if request.method == "POST":
        form = RoundsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            done, created = run_service(
                request,
                lambda: services.create_schedules_for_year(
                    actor=request.user,
                    plan=plan,
                    year=data["year"],
                    kinds=data["kinds"],
                    due_day=data["due_day"],
                ),
            )
            if done:
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
    done, report = run_service(
        request, lambda: services.start_report(actor=request.user, schedule=schedule, unit=unit)
    )
    if not done:
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
    changes = {
        "save": lambda: services.save_report(
            actor=user,
            report=report,
            narrative=request.POST.get("narrative", ""),
            task_lines=_posted_lines(request, report),
            evidence=request.FILES.get("evidence"),
        ),
        "submit": lambda: services.submit_report(actor=user, report=report),
        "approve": lambda: services.approve_report(actor=user, report=report),
        "accept": lambda: services.accept_report(actor=user, report=report, comment=comment),
        "return": lambda: services.return_report(actor=user, report=report, comment=comment),
    }
    run_service(request, changes[action], success=done[action])
    return redirect("plans:report-detail", pk=report.pk)


@login_required
@require_GET
def report_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The evidence file, served only to those who see the report (never from a public URL)."""
    report = get_object_or_404(_reports(request.user), pk=pk)
    return stored_file(report.evidence)


def _exportable(request: HttpRequest, pk: int) -> ReportSchedule:
    schedule = get_object_or_404(_schedules(request.user), pk=pk)
    if not has_unit_permission(request.user, PLAN, schedule.plan.issuing_unit):
        raise PermissionDenied(
            _("Only the reform office of %(unit)s exports this report.")
            % {"unit": schedule.plan.issuing_unit.name}
        )
    return schedule


@login_required
@require_GET
@reads_from_replica
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = _exportable(request, pk)
    data = _export_defaults(schedule)
    if request.GET:
        form = ExportForm(request.GET)
        if not form.is_valid():
            form_errors_as_messages(request, form)
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
    return download(content, f"bao-cao-cchc-{schedule.period}.docx", downloads.DOCX)


@login_required
@require_GET
@reads_from_replica
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = _exportable(request, pk)
    return download(annex_xlsx(schedule), f"phu-luc-bao-cao-cchc-{schedule.period}.xlsx", downloads.XLSX)
