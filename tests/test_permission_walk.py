"""Walks every page and API endpoint as a user of another unit: nothing of that unit may show.

The commune officer of Xã Tây is the outsider; every object used below belongs to Sở Tư pháp.
A new URL with parameters must get an entry in OBJECT_ARGS, or this test fails and says so.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tests.url_catalogue import named_urls

pytestmark = pytest.mark.django_db

# URLs that are not about any unit's data.
# The sign-in code page sends anyone without a pending code elsewhere (tests/accounts/test_two_factor.py).
PUBLIC_OR_TECHNICAL = {
    "login",
    "logout",
    "set_language",
    "api-schema",
    "api-docs",
    "api-token",
    "api-root",
    "accounts:two-factor-code",
}

# Citizens' pages that need no account (the `public` namespace of cchc.surveys.urls): a unit's survey
# link, feedback and its follow-up by receipt code, published answers. They show no unit's internal
# data; the outsider still walks the ones without parameters below.
# tests/surveys/test_public_pages.py checks the list.
PUBLIC_URLS = {
    "public:survey",
    "public:survey-done",
    "public:feedback",
    "public:feedback-done",
    "public:feedback-status",
    "public:feedback-rate",
    "public:feedback-reopen",
    "public:feedback-published",
}

# How to build each parameterised URL from an object of Sở Tư pháp.
OBJECT_ARGS = {
    "notifications:read": lambda cast: [_justice_notification(cast)],
    "webhooks:edit": lambda cast: [justice_webhook(cast).subscription_id],
    "webhooks:delete": lambda cast: [justice_webhook(cast).subscription_id],
    "webhooks:secret": lambda cast: [justice_webhook(cast).subscription_id],
    "webhooks:rotate": lambda cast: [justice_webhook(cast).subscription_id],
    "webhooks:deliveries": lambda cast: [justice_webhook(cast).subscription_id],
    "webhooks:resend": lambda cast: [justice_webhook(cast).pk],
    "units:detail": lambda cast: [cast["justice"].pk],
    "core:history": lambda cast: [ContentType.objects.get_for_model(cast["justice"]).pk, cast["justice"].pk],
    "accounts:grant-role": lambda cast: [cast["justice"].pk],
    "accounts:revoke-role": lambda cast: [cast["justice_focal"].role_assignments.get().pk],
    "accounts:api-token-revoke": lambda cast: [justice_api_token(cast).pk],
    "plan-detail": lambda cast: [justice_plan(cast)["plan"].pk],
    "plan-issue": lambda cast: [justice_plan(cast)["plan"].pk],
    "plan-cascade": lambda cast: [justice_plan(cast)["plan"].pk],
    "plan-export": lambda cast: [justice_plan(cast)["plan"].pk],
    "plan-import-workbook": lambda cast: [justice_plan(cast)["plan"].pk],
    "target-detail": lambda cast: [justice_plan(cast)["target"].pk],
    "target-unit-value": lambda cast: [justice_plan(cast)["target"].pk],
    "target-reading": lambda cast: [justice_plan(cast)["target"].pk],
    "task-detail": lambda cast: [justice_plan(cast)["task"].pk],
    "task-update-detail": lambda cast: [justice_plan(cast)["update"].pk],
    "task-update-review": lambda cast: [justice_plan(cast)["update"].pk],
    "measurement-detail": lambda cast: [justice_plan(cast)["measurement"].pk],
    "plans:report-rounds": lambda cast: [justice_reports(cast)["round"].plan_id],
    "plans:report-round": lambda cast: [justice_reports(cast)["round"].pk],
    "plans:report-start": lambda cast: [justice_reports(cast)["round"].pk],
    "plans:report-docx": lambda cast: [justice_reports(cast)["round"].pk],
    "plans:report-xlsx": lambda cast: [justice_reports(cast)["round"].pk],
    "plans:report-detail": lambda cast: [justice_reports(cast)["report"].pk],
    "plans:report-action": lambda cast: [justice_reports(cast)["report"].pk],
    "plans:report-evidence": lambda cast: [justice_reports(cast)["report"].pk],
    "plans:inspection-plan": lambda cast: [justice_finding(cast).inspection.plan_id],
    "plans:inspection-create": lambda cast: [justice_finding(cast).inspection.plan_id],
    "plans:inspection": lambda cast: [justice_finding(cast).inspection_id],
    "plans:inspection-record": lambda cast: [justice_finding(cast).inspection_id],
    "plans:finding-create": lambda cast: [justice_finding(cast).inspection_id],
    "plans:finding": lambda cast: [justice_finding(cast).pk],
    "plans:finding-action": lambda cast: [justice_finding(cast).pk],
    "plans:plan": lambda cast: [justice_plan(cast)["plan"].pk],
    "plans:plan-document": lambda cast: [justice_plan(cast)["plan"].pk],
    "plans:plan-dashboard": lambda cast: [justice_plan(cast)["plan"].pk],
    "plans:plan-issue": lambda cast: [justice_plan(cast)["plan"].pk],
    "plans:plan-cascade": lambda cast: [justice_plan(cast)["plan"].pk],
    "plans:area-add": lambda cast: [justice_plan(cast)["plan"].pk],
    "plans:target-add": lambda cast: [justice_plan(cast)["plan"].pk],
    "plans:task-add": lambda cast: [justice_plan(cast)["plan"].pk],
    "plans:target": lambda cast: [justice_plan(cast)["target"].pk],
    "plans:measurement-add": lambda cast: [justice_plan(cast)["target"].pk],
    "plans:task": lambda cast: [justice_plan(cast)["task"].pk],
    "plans:progress-report": lambda cast: [justice_plan(cast)["task"].pk],
    "plans:deadline-request": lambda cast: [justice_plan(cast)["task"].pk],
    "plans:update-evidence": lambda cast: [justice_plan(cast)["update"].pk],
    "plans:update-review": lambda cast: [justice_plan(cast)["update"].pk],
    "plans:deadline-decide": lambda cast: [justice_plan(cast)["change"].pk],
    "workdays-override-detail": None,  # the calendar belongs to no unit
    "unit-detail": lambda cast: [cast["justice"].pk],
    "unit-inheritors": lambda cast: [cast["justice"].pk],
    "user-detail": lambda cast: [cast["justice_focal"].pk],
    "audit-detail": lambda cast: [_justice_entry(cast)],
    "procedure-detail": None,  # procedures are the public list of TTHC, readable by every signed-in user
    "dossier-detail": lambda cast: [justice_onestop(cast)["dossier"].pk],
    "onestop:dossier": lambda cast: [justice_onestop(cast)["dossier"].pk],
    "onestop:import-job": lambda cast: [justice_onestop(cast)["job"].pk],
    "onestop:import-job-status": lambda cast: [justice_onestop(cast)["job"].pk],
    "onestop:import-errors": lambda cast: [justice_onestop(cast)["job"].pk],
    "onestop:import-cancel": lambda cast: [justice_onestop(cast)["job"].pk],
    # The live feed belongs to no unit: its pages are for the province's administrators only.
    "onestop:feed-source": lambda cast: [feed_run(cast).source_id],
    "onestop:feed-run-now": lambda cast: [feed_run(cast).source_id],
    "onestop:feed-run": lambda cast: [feed_run(cast).pk],
    "parindex:campaign": lambda cast: [justice_scorecard(cast)["campaign"].pk],
    "parindex:campaign-deadlines": lambda cast: [justice_scorecard(cast)["campaign"].pk],
    "parindex:campaign-advance": lambda cast: [justice_scorecard(cast)["campaign"].pk],
    "parindex:scorecard": lambda cast: [justice_scorecard(cast)["assessment"].pk],
    "parindex:assessment-submit": lambda cast: [justice_scorecard(cast)["assessment"].pk],
    "parindex:assessment-accept": lambda cast: [justice_scorecard(cast)["assessment"].pk],
    "parindex:item-self": lambda cast: [justice_scorecard(cast)["item"].pk],
    "parindex:item-evidence": lambda cast: [justice_scorecard(cast)["item"].pk],
    "parindex:item-appraise": lambda cast: [justice_scorecard(cast)["item"].pk],
    "parindex:item-explain": lambda cast: [justice_scorecard(cast)["item"].pk],
    "parindex:item-second": lambda cast: [justice_scorecard(cast)["item"].pk],
    "parindex:item-history": lambda cast: [justice_scorecard(cast)["item"].pk],
    "parindex:item-entry": lambda cast: [justice_scorecard(cast)["item"].pk],
    "parindex:item-files": lambda cast: [justice_scorecard(cast)["item"].pk],
    "parindex:area-entry": lambda cast: [
        justice_scorecard(cast)["assessment"].pk,
        justice_scorecard(cast)["area"].pk,
    ],
    "parindex:area-save": lambda cast: [
        justice_scorecard(cast)["assessment"].pk,
        justice_scorecard(cast)["area"].pk,
    ],
    "parindex:evidence": lambda cast: [justice_scorecard(cast)["evidence"].pk],
    "parindex:ranking": lambda cast: [justice_results(cast)["campaign"].pk],
    "parindex:comparison": lambda cast: [justice_results(cast)["campaign"].pk],
    "parindex:results-xlsx": lambda cast: [justice_results(cast)["campaign"].pk],
    "parindex:annex-docx": lambda cast: [justice_results(cast)["campaign"].pk],
    "parindex:survey": lambda cast: [justice_results(cast)["campaign"].pk],
    "parindex:criteria-clone": lambda cast: [justice_results(cast)["criteria_set"].pk],
    "parindex:criteria-set": lambda cast: [justice_results(cast)["criteria_set"].pk],
    "parindex:criteria-export": lambda cast: [justice_results(cast)["criteria_set"].pk],
    "par-criteria-set-detail": lambda cast: [justice_results(cast)["criteria_set"].pk],
    "par-campaign-detail": lambda cast: [justice_scorecard(cast)["campaign"].pk],
    "par-campaign-deadlines": lambda cast: [justice_scorecard(cast)["campaign"].pk],
    "par-campaign-advance": lambda cast: [justice_scorecard(cast)["campaign"].pk],
    "par-campaign-results": lambda cast: [justice_results(cast)["campaign"].pk],
    "par-assessment-detail": lambda cast: [justice_scorecard(cast)["assessment"].pk],
    "par-assessment-submit": lambda cast: [justice_scorecard(cast)["assessment"].pk],
    "par-assessment-accept-remaining": lambda cast: [justice_scorecard(cast)["assessment"].pk],
    "par-item-detail": lambda cast: [justice_scorecard(cast)["item"].pk],
    "par-item-self-assessment": lambda cast: [justice_scorecard(cast)["item"].pk],
    "par-item-appraisal": lambda cast: [justice_scorecard(cast)["item"].pk],
    "par-item-explanation": lambda cast: [justice_scorecard(cast)["item"].pk],
    "par-item-second-appraisal": lambda cast: [justice_scorecard(cast)["item"].pk],
    "sipas-campaign-detail": lambda cast: [justice_sipas(cast).pk],
    "sipas-campaign-results": lambda cast: [justice_sipas(cast).pk],
    "sipas-response-detail": lambda cast: [justice_sipas_response(cast).pk],
    "feedback-detail": lambda cast: [justice_feedback(cast).pk],
    "feedback-steps": lambda cast: [justice_feedback(cast).pk],
    "feedback-history": lambda cast: [justice_feedback(cast).pk],
    "feedback-route": lambda cast: [justice_feedback(cast).pk],
    "feedback-refuse": lambda cast: [justice_feedback(cast).pk],
    "feedback-request-info": lambda cast: [justice_feedback(cast).pk],
    "feedback-info-received": lambda cast: [justice_feedback(cast).pk],
    "feedback-answer": lambda cast: [justice_feedback(cast).pk],
    "feedback-publish": lambda cast: [justice_feedback(cast).pk],
    "feedback-close": lambda cast: [justice_feedback(cast).pk],
    "surveys:feedback-detail": lambda cast: [justice_feedback(cast).pk],
    "surveys:feedback-route": lambda cast: [justice_feedback(cast).pk],
    "surveys:feedback-refuse": lambda cast: [justice_feedback(cast).pk],
    "surveys:feedback-request-info": lambda cast: [justice_feedback(cast).pk],
    "surveys:feedback-info-received": lambda cast: [justice_feedback(cast).pk],
    "surveys:feedback-answer": lambda cast: [justice_feedback(cast).pk],
    "surveys:feedback-publish": lambda cast: [justice_feedback(cast).pk],
    "surveys:feedback-close": lambda cast: [justice_feedback(cast).pk],
    "surveys:campaign": lambda cast: [justice_sipas(cast).pk],
    "surveys:campaign-status": lambda cast: [justice_sipas(cast).pk],
    "surveys:campaign-links": lambda cast: [justice_sipas(cast).pk],
    "surveys:qr-code": lambda cast: [justice_sipas(cast).pk, cast["justice_division"].pk],
    "surveys:invitations": lambda cast: [justice_sipas(cast).pk],
    "surveys:response-entry": lambda cast: [justice_sipas(cast).pk],
    "surveys:responses-import": lambda cast: [justice_sipas(cast).pk],
    "surveys:results-xlsx": lambda cast: [justice_sipas(cast).pk],
    "surveys:report-docx": lambda cast: [justice_sipas(cast).pk],
    "web:brief-detail": lambda cast: [justice_brief(cast).pk],
    "web:brief-download": lambda cast: [justice_brief(cast).pk, "pdf"],
    "web:brief-schedule": lambda cast: [justice_brief_schedule(cast).pk],
    "web:brief-schedule-delete": lambda cast: [justice_brief_schedule(cast).pk],
}

# Objects of no unit that every signed-in user with a role may read: the outsider opens them too.
READABLE_BY_EVERY_VIEWER = {
    "parindex:criteria-set",  # criteria sets are the province's published rules
    "parindex:criteria-export",
    "par-criteria-set-detail",  # the same sets through the API
}

MARKERS = ("Sở Tư pháp", "stp.daumoi", "Phòng Hành chính tư pháp")


def justice_plan(cast):
    """A plan of Sở Tư pháp (draft) with a target, a task, a progress update and a measurement."""
    if "justice_plan" not in cast:
        import datetime

        from django.core.files.uploadedfile import SimpleUploadedFile

        from cchc.plans.services import plans as plan_services
        from cchc.plans.services import tasks as task_services

        plan = plan_services.create_plan(
            actor=None, issuing_unit=cast["justice"], title="Kế hoạch riêng Sở Tư pháp", year_from=2026
        )
        plan_services.attach_source_document(
            actor=None,
            plan=plan,
            name="ke-hoach.pdf",
            content=SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.7"),
        )
        target = plan_services.add_target(actor=None, plan=plan, text="Chỉ tiêu", comparator=">=", value=90)
        task = task_services.add_task(
            actor=None, plan=plan, text="Nhiệm vụ", lead_unit=cast["justice"], deadline_kind="recurring"
        )
        update = task_services.report_progress(
            actor=cast["justice_focal"],
            task=task,
            status="in_progress",
            progress=10,
            narrative="Bắt đầu",
            evidence=SimpleUploadedFile("minh-chung.pdf", b"%PDF-1.7 minh chung"),
        )
        measurement = plan_services.record_measurement(
            actor=None, target=target, unit=cast["justice"], period="2026", numerator=9, denominator=10
        )
        change = task_services.request_deadline_change(
            actor=cast["justice_focal"],
            task=task,
            new_kind="date",
            new_deadline=datetime.date(2026, 12, 31),
            reason="Chờ hướng dẫn",
        )
        cast["justice_plan"] = {
            "change": change,
            "plan": plan,
            "target": target,
            "task": task,
            "update": update,
            "measurement": measurement,
        }
    return cast["justice_plan"]


def justice_api_token(cast):
    """An API key of Sở Tư pháp's focal point, acting with its role there."""
    if "justice_api_token" not in cast:
        from cchc.accounts.api_tokens import create_token

        focal = cast["justice_focal"]
        cast["justice_api_token"], _key = create_token(
            actor=focal, owner=focal, name="Khoá Sở Tư pháp", role_assignment=focal.role_assignments.get()
        )
    return cast["justice_api_token"]


def justice_reports(cast):
    """A reporting round of Sở Tư pháp's own plan, and Sở Tư pháp's report (with evidence) to the province."""
    if "justice_reports" not in cast:
        import datetime

        from django.core.files.uploadedfile import SimpleUploadedFile

        from cchc.plans.services import plans as plan_services
        from cchc.plans.services import reports

        own_round = reports.create_schedules_for_year(
            actor=None, plan=justice_plan(cast)["plan"], year=2026, kinds=["quarter"]
        )[0]
        province_plan = plan_services.create_plan(
            actor=None, issuing_unit=cast["province"], title="Kế hoạch tỉnh", year_from=2026
        )
        plan_services.issue_plan(
            actor=None, plan=province_plan, number="1/KH", issued_on=datetime.date(2026, 1, 2)
        )
        province_round = reports.create_schedules_for_year(
            actor=None, plan=province_plan, year=2026, kinds=["quarter"]
        )[0]
        report = reports.start_report(actor=None, schedule=province_round, unit=cast["justice"])
        evidence = SimpleUploadedFile("minh-chung.pdf", b"%PDF-1.7")
        reports.save_report(actor=None, report=report, narrative="Báo cáo", task_lines=[], evidence=evidence)
        cast["justice_reports"] = {"round": own_round, "report": report}
    return cast["justice_reports"]


def justice_finding(cast):
    """A finding of Sở Tư pháp's own inspection plan, on its division, carried out yesterday."""
    if "justice_finding" not in cast:
        import datetime

        from django.utils import timezone

        from cchc.plans.services import inspections

        admin, done_on = cast["reform_admin"], timezone.localdate() - datetime.timedelta(days=1)
        plan = inspections.create_inspection_plan(
            actor=admin, issuing_unit=cast["justice"], year=done_on.year, title="Kiểm tra nội bộ"
        )
        inspection = inspections.add_inspection(
            actor=admin, plan=plan, inspected_unit=cast["justice_division"]
        )
        inspections.record_inspection(actor=admin, inspection=inspection, done_on=done_on, team="Đoàn")
        cast["justice_finding"] = inspections.add_finding(
            actor=admin,
            inspection=inspection,
            description="Thiếu niêm yết",
            responsible_unit=cast["justice_division"],
            remedy_required="Niêm yết",
            deadline=done_on + datetime.timedelta(days=30),
        )
    return cast["justice_finding"]


def justice_brief(cast):
    """A finished one-page brief of Sở Tư pháp (files written directly: the walk tests scoping)."""
    if "justice_brief" not in cast:
        from django.core.files.base import ContentFile

        from cchc.web.models import Brief, BriefStatus

        brief = Brief(unit=cast["justice"], period="2026-05", status=BriefStatus.DONE)
        brief.docx.save("brief.docx", ContentFile(b"PK docx"), save=False)
        brief.pdf.save("brief.pdf", ContentFile(b"%PDF-1.7"), save=True)
        cast["justice_brief"] = brief
    return cast["justice_brief"]


def justice_brief_schedule(cast):
    if "justice_brief_schedule" not in cast:
        from cchc.web.brief.services import create_subscription

        cast["justice_brief_schedule"] = create_subscription(
            actor=None,
            unit=cast["justice"],
            data={"period_kind": "last_month", "day_of_month": 5, "emails": "stp@tinh.gov.vn"},
        )
    return cast["justice_brief_schedule"]


def justice_onestop(cast):
    """A dossier of Sở Tư pháp and an import job its focal point started, with an error report."""
    if "justice_onestop" not in cast:
        from django.core.files.base import ContentFile

        from cchc.onestop import services
        from cchc.onestop.models import Dossier, ImportJob, ImportKind, JobStatus
        from tests.onestop.conftest import PROCEDURES, dossier

        services.import_procedures(PROCEDURES, actor=None)
        record = dossier(
            "STP-0001", unit="99.STP", received="2026-01-05 09:00", finished_at="2026-02-20 10:00"
        )
        assert services.import_dossiers([record], actor=None).applied
        job = ImportJob.objects.create(
            kind=ImportKind.DOSSIERS,
            status=JobStatus.FAILED,
            original_name="ho-so-so-tu-phap.csv",
            created_by=cast["justice_focal"],
            error_count=1,
        )
        job.error_report.save(
            "loi.csv", ContentFile("\ufeffrow,column,message\n2,unit_code,Sở Tư pháp\n".encode())
        )
        cast["justice_onestop"] = {"dossier": Dossier.objects.get(code="STP-0001"), "job": job}
    return cast["justice_onestop"]


def justice_scorecard(cast):
    """Sở Tư pháp's PAR Index scorecard in self-assessment, with an evidence file on one item.

    Only the agency criteria set is loaded, so the campaign scores agencies alone and the commune
    officer has no scorecard in it: the campaign itself is out of their sight too.
    """
    if "justice_scorecard" not in cast:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from cchc.parindex.models import Campaign, CriteriaSet, Item, Phase
        from cchc.parindex.services import campaigns, criteria
        from cchc.parindex.services import items as item_services

        year = 2026
        if not CriteriaSet.objects.filter(year=year, unit_type="agency").exists():
            criteria.load_default_set(actor=None, year=year, unit_type="agency")
        campaign = Campaign.objects.filter(organiser=cast["province"], year=year).first()
        if campaign is None:
            campaign = campaigns.create_campaign(actor=None, organiser=cast["province"], year=year)
        while campaign.phase != Phase.SELF_ASSESSMENT:
            campaign = campaigns.advance_phase(actor=None, campaign=campaign)
        item = Item.objects.get(
            assessment__campaign=campaign, assessment__unit=cast["justice"], criterion__code="1.5"
        )
        evidence = item_services.add_evidence(
            actor=None, item=item, upload=SimpleUploadedFile("minh-chung.pdf", b"%PDF-1.7 minh chung")
        )
        cast["justice_scorecard"] = {
            "campaign": campaign,
            "assessment": item.assessment,
            "item": item,
            "evidence": evidence,
            "area": item.assessment.criteria_set.criteria.filter(parent__isnull=True).first(),
        }
    return cast["justice_scorecard"]


def justice_results(cast):
    """Published PAR Index results of 2025 (imported) ranking Sở Tư pháp alone, and that year's set.

    Only an agency set exists for 2025, so the commune officer has no row in the campaign and no sight
    of it; the set itself belongs to no unit.
    """
    if "justice_results" not in cast:
        from cchc.parindex.services import criteria
        from cchc.parindex.services.results import import_scores

        tree = (
            "code,parent_code,title,max_points,method,threshold,evidence_required,not_applicable_rule,metric\n"
            "1,,Chỉ đạo điều hành,10,,,,,\n"
            "1.1,1,Kế hoạch cải cách hành chính,10,manual,,0,exclude,\n"
        )
        criteria_set = criteria.import_criteria(
            actor=None, content=tree.encode(), filename="bo-2025.csv", year=2025, unit_type="agency"
        )
        scores = "unit_code,criterion_code,self_score,appraised_score,not_applicable\n99.STP,1.1,8,8,0\n"
        campaign = import_scores(
            actor=None, organiser=cast["province"], year=2025, content=scores.encode(), filename="2025.csv"
        )
        cast["justice_results"] = {"campaign": campaign, "criteria_set": criteria_set}
    return cast["justice_results"]


def justice_feedback(cast):
    """A citizen's feedback routed to Sở Tư pháp, entered by its focal point."""
    if "justice_feedback" not in cast:
        from cchc.surveys.services.feedback import receive_feedback

        cast["justice_feedback"] = receive_feedback(
            actor=cast["justice_focal"],
            organiser=cast["province"],
            unit=cast["justice"],
            kind="procedure",
            channel="staff",
            title="Phản ánh về Sở Tư pháp",
            content="Hồ sơ lý lịch tư pháp chậm trả.",
        )
    return cast["justice_feedback"]


def justice_webhook(cast):
    """A webhook subscription of Sở Tư pháp with one failed delivery (its log offers "Gửi lại")."""
    if "justice_webhook" not in cast:
        from cchc.webhooks.models import DeliveryState, WebhookDelivery
        from cchc.webhooks.services import create_subscription

        subscription = create_subscription(
            actor=None,
            unit=cast["justice"],
            data={
                "name": "Kho dữ liệu Sở Tư pháp",
                "url": "http://127.0.0.1:9/nhan",
                "event_types": ["report.accepted"],
            },
        )
        cast["justice_webhook"] = WebhookDelivery.objects.create(
            subscription=subscription,
            event_type="report.accepted",
            event_id=0,
            payload={"event": "report.accepted"},
            state=DeliveryState.FAILED,
            attempts=3,
            last_status=503,
        )
    return cast["justice_webhook"]


def justice_sipas(cast):
    """A SIPAS campaign Sở Tư pháp runs among its own divisions: its division is the one unit surveyed."""
    if "justice_sipas" not in cast:
        from cchc.surveys.models import UnitQuota
        from cchc.surveys.services import sipas

        campaign = sipas.new_campaign(
            actor=None, organiser=cast["justice"], template="sipas", year=2026, code="SIPAS-STP-2026"
        )
        UnitQuota.objects.create(
            campaign=campaign, unit=cast["justice_division"], quota=50, link_token="STPWALK0000000001"
        )
        cast["justice_sipas"] = campaign
    return cast["justice_sipas"]


def justice_sipas_response(cast):
    """One paper form typed in for Sở Tư pháp's division in the campaign above, opened for it."""
    if "justice_sipas_response" not in cast:
        from cchc.surveys.models import CampaignStatus
        from cchc.surveys.services import sipas

        campaign = sipas.set_status(actor=None, campaign=justice_sipas(cast), status=CampaignStatus.OPEN)
        cast["justice_sipas_response"] = sipas.enter_response(
            actor=cast["reform_admin"],
            campaign=campaign,
            unit=cast["justice_division"],
            answers={code: "4" for code in ("TC-HL", "TT-HL", "CC-HL", "KQ-HL", "PA-HL")},
            channel="paper",
            answered_on=datetime.date(2026, 3, 2),
        )
    return cast["justice_sipas_response"]


def _text_of(response):
    """The page's text; for a workbook, the text of its cells (the zipped bytes would hide a marker)."""
    if "spreadsheetml" in response.get("Content-Type", ""):
        import io

        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(response.getvalue()), read_only=True)
        cells = (cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row)
        return " ".join(str(cell) for cell in cells if cell is not None)
    # getvalue() reads a streamed file (a download) as well as an ordinary page
    return response.getvalue().decode(errors="replace")


def _justice_notification(cast):
    from cchc.notifications.models import Notification
    from cchc.notifications.registry import Event
    from cchc.notifications.services import deliver

    focal = cast["justice_focal"]
    deliver([Event(key="walk", kind="plans_report", title="Báo cáo chờ phê duyệt", recipients=(focal,))])
    return Notification.objects.get(recipient=focal, event_key="walk").pk


def _justice_entry(cast):
    from cchc.core.models import AuditEntry

    return AuditEntry.objects.for_object(cast["justice"]).first().pk


def _all_urls():
    seen = {}
    for name, pattern in named_urls():
        if (
            name in PUBLIC_OR_TECHNICAL
            or ".<format>" in str(pattern.pattern)
            or "format" in pattern.pattern.regex.groupindex
        ):
            continue
        seen[name] = pattern
    return seen


def test_every_parameterised_url_is_covered_here():
    missing = [
        name
        for name, pattern in _all_urls().items()
        if pattern.pattern.regex.groups and name not in OBJECT_ARGS and name not in PUBLIC_URLS
    ]
    assert missing == [], f"add these URLs to OBJECT_ARGS in {__file__}: {missing}"


def _request(client, url, name):
    response = client.get(url)
    if response.status_code == 405:  # POST-only endpoints
        response = client.post(url, {})
    return response


def test_outsider_cannot_open_another_units_objects(client, cast):
    client.force_login(cast["commune_officer"])
    for name, pattern in _all_urls().items():
        if not pattern.pattern.regex.groups or OBJECT_ARGS.get(name) is None:
            continue
        if name in READABLE_BY_EVERY_VIEWER:
            continue
        if name in PUBLIC_URLS:  # open to everyone by design: the citizens' pages need no account
            continue
        url = reverse(name, args=OBJECT_ARGS[name](cast))
        response = _request(client, url, name)
        assert response.status_code in (403, 404), f"{name} {url} answered {response.status_code}"


def test_the_same_objects_open_for_someone_in_scope(client, cast):
    """Guards the test above: the 404s must come from scoping, not from wrong arguments."""
    client.force_login(cast["reform_admin"])
    for name, pattern in _all_urls().items():
        if not pattern.pattern.regex.groups or OBJECT_ARGS.get(name) is None:
            continue
        url = reverse(name, args=OBJECT_ARGS[name](cast))
        response = client.get(url)
        assert response.status_code in (200, 405), f"{name} {url} answered {response.status_code}"


def test_lists_show_the_outsider_nothing_of_another_unit(client, cast):
    justice_onestop(cast)  # dossiers and an import job of Sở Tư pháp that the lists must leave out
    justice_feedback(cast)  # citizen feedback routed to Sở Tư pháp, for the feedback list and export
    client.force_login(cast["commune_officer"])
    for name, pattern in _all_urls().items():
        if pattern.pattern.regex.groups:
            continue
        response = client.get(reverse(name))
        assert response.status_code in (200, 403, 405), f"{name} answered {response.status_code}"
        body = _text_of(response)
        for marker in MARKERS:
            assert marker not in body, f"{name} shows {marker!r} to a commune officer"


def test_anonymous_visitors_are_sent_to_sign_in(client, cast):
    for name, pattern in _all_urls().items():
        if name in PUBLIC_URLS:  # the citizens' pages are meant for visitors without an account
            continue
        args = OBJECT_ARGS[name](cast) if pattern.pattern.regex.groups and OBJECT_ARGS.get(name) else None
        if pattern.pattern.regex.groups and args is None:
            args = ["onestop"]
        url = reverse(name, args=args)
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code in (401, 403), f"{name} answered {response.status_code}"
        else:
            assert response.status_code == 302 and "/login/" in response["Location"], (
                f"{name}: {response.status_code}"
            )


def feed_run(cast):
    """A live feed source with one run (onestop/feed): administrators see it, no one else."""
    if "feed_run" not in cast:
        from cchc.onestop.models import FeedRun, FeedSource

        source = FeedSource.objects.create(name="Một cửa tỉnh", base_url="https://motcua.example.vn/api")
        cast["feed_run"] = FeedRun.objects.create(source=source)
    return cast["feed_run"]
