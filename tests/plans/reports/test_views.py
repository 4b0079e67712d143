"""The report pages: who sees what, the workflow through the browser, refusals as messages, downloads."""

import io

import docx
import openpyxl
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cchc.accounts import services as account_services
from cchc.accounts.models import Role
from cchc.plans import urls as plan_urls
from cchc.plans.models import ReportSchedule, ReportStatus, UnitReport
from cchc.plans.services import plans as plan_services
from cchc.plans.services import reports
from cchc.units.models import UnitType
from cchc.units.services import units as unit_services
from tests.conftest import uploaded
from tests.plans.reports.helpers import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider(db):
    """The focal point of an agency of another province."""
    other = unit_services.create_unit(actor=None, name="Tỉnh Khác", type=UnitType.PROVINCE, code="98")
    agency = unit_services.create_unit(
        actor=None, name="Sở Tư pháp tỉnh Khác", type=UnitType.AGENCY, code="98.STP", parent=other
    )
    user = account_services.create_user(actor=None, username="khac.daumoi", password="mat-khau-thu-1")
    account_services.grant_role(actor=None, user=user, unit=agency, role=Role.FOCAL_POINT)
    return user


def _url(name, *args):
    return reverse(f"plans:{name}", args=args)


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def test_the_rounds_of_a_plan(as_user, plan, rounds, reform_admin, justice_focal, outsider):
    page = as_user(reform_admin).get(_url("report-rounds", plan.pk))
    assert page.status_code == 200
    assert page.content.decode().count('href="/plans/reports/round/') == 4
    assert b'data-testid="create-rounds"' in page.content
    page = as_user(justice_focal).get(_url("report-rounds", plan.pk))
    assert page.status_code == 200 and b'data-testid="create-rounds"' not in page.content
    assert as_user(outsider).get(_url("report-rounds", plan.pk)).status_code == 404


def test_the_reform_office_creates_rounds_from_the_page(as_user, plan, reform_admin, justice_focal):
    form = {"year": 2026, "kinds": ["quarter"], "due_day": 18}
    assert as_user(justice_focal).post(_url("report-rounds", plan.pk), form).status_code == 403
    response = as_user(reform_admin).post(_url("report-rounds", plan.pk), form, follow=True)
    assert _messages(response) == ["1 reporting rounds created."]
    assert [(s.period, s.due_on.day) for s in ReportSchedule.objects.all()] == [("2026-Q1", 18)]
    response = as_user(reform_admin).post(_url("report-rounds", plan.pk), {**form, "due_day": 25})
    assert "no later than the national deadline (day 20)" in _messages(response)[0]


def test_the_round_page_colours_each_unit(as_user, filled_q1, reform_admin, justice_focal, outsider):
    with time_machine.travel(at(2026, 3, 25)):
        page = as_user(reform_admin).get(_url("report-round", filled_q1.pk))
        html = page.content.decode()
        assert page.status_code == 200
        assert html.count('class="table-success" data-timeliness="on_time"') == 1
        assert html.count('class="table-warning" data-timeliness="late"') == 1
        assert html.count('class="table-danger" data-timeliness="missing"') == 2
        assert b'data-testid="export"' in page.content
        own = as_user(justice_focal).get(_url("report-round", filled_q1.pk))
    assert own.status_code == 200
    rows = [item["row"].unit.name for item in own.context["rows"]]
    assert rows == ["Sở Tư pháp"]  # a unit sees its own line only
    assert b'data-testid="export"' not in own.content
    assert as_user(outsider).get(_url("report-round", filled_q1.pk)).status_code == 404


def test_the_round_page_needs_few_queries(as_user, filled_q1, reform_admin, django_assert_max_num_queries):
    client = as_user(reform_admin)
    with django_assert_max_num_queries(10):
        assert client.get(_url("report-round", filled_q1.pk)).status_code == 200


def test_starting_a_report(as_user, q1, justice, justice_focal, commune_officer, outsider):
    url = _url("report-start", q1.pk)
    assert as_user(justice_focal).get(url).status_code == 405
    assert as_user(commune_officer).post(url, {"unit": justice.pk}).status_code == 404
    assert as_user(outsider).post(url, {"unit": justice.pk}).status_code == 404
    response = as_user(justice_focal).post(url, {"unit": justice.pk})
    report = UnitReport.objects.get()
    assert response.url == _url("report-detail", report.pk)
    assert as_user(justice_focal).post(url, {"unit": justice.pk}).url == response.url
    assert UnitReport.objects.count() == 1


def test_only_those_who_see_the_unit_open_its_report(
    as_user, report, justice_focal, leader, commune_officer, outsider
):
    page = as_user(justice_focal).get(_url("report-detail", report.pk))
    assert page.status_code == 200 and b'data-testid="edit-report"' in page.content
    page = as_user(leader).get(_url("report-detail", report.pk))
    assert page.status_code == 200 and b'data-testid="edit-report"' not in page.content
    assert as_user(commune_officer).get(_url("report-detail", report.pk)).status_code == 404
    assert as_user(outsider).get(_url("report-detail", report.pk)).status_code == 404
    assert as_user(outsider).post(_url("report-action", report.pk), {"action": "save"}).status_code == 404


def test_the_whole_workflow_through_the_pages(as_user, report, justice_focal, justice_leader, reform_admin):
    url = _url("report-action", report.pk)
    t1 = report.task_lines[0]["task"]
    form = {
        "action": "save",
        "narrative": "Kết quả quý I của Sở Tư pháp",
        f"status-{t1}": "done",
        f"progress-{t1}": "100",
        f"note-{t1}": "Đã ban hành",
        "evidence": uploaded("minh-chung.pdf", b"%PDF-1.7 ..."),
    }
    focal = as_user(justice_focal)
    response = focal.post(url, form, follow=True)
    assert _messages(response) == ["The report was saved."]
    report.refresh_from_db()
    assert (report.narrative, report.task_lines[0]["status"], report.task_lines[0]["note"]) == (
        "Kết quả quý I của Sở Tư pháp",
        "done",
        "Đã ban hành",
    )
    evidence = focal.get(_url("report-evidence", report.pk))
    assert b"".join(evidence.streaming_content) == b"%PDF-1.7 ..."

    assert focal.post(url, {"action": "approve"}).status_code == 403  # not the leader
    focal.post(url, {"action": "submit"})
    leader = as_user(justice_leader)
    page = leader.get(_url("report-detail", report.pk))
    assert "Approve and send to the reform office" in page.content.decode()
    leader.post(url, {"action": "approve"})
    assert leader.post(url, {"action": "accept"}).status_code == 403  # not the reform office

    office = as_user(reform_admin)
    response = office.post(url, {"action": "return", "comment": ""}, follow=True)
    assert _messages(response) == ["Say what the unit must correct."]
    response = office.post(url, {"action": "accept", "comment": "Đạt"}, follow=True)
    assert _messages(response) == ["The report was accepted; it is now locked."]
    assert b'data-testid="locked"' in response.content
    assert b'data-testid="edit-report"' not in response.content
    assert b'data-testid="review"' not in response.content

    response = office.post(url, {"action": "save", "narrative": "Sửa sau"}, follow=True)
    assert "locked" in _messages(response)[0]
    report.refresh_from_db()
    assert (report.status, report.narrative) == (ReportStatus.ACCEPTED, "Kết quả quý I của Sở Tư pháp")


def test_a_bad_evidence_file_is_refused_with_a_message(as_user, report, justice_focal):
    form = {"action": "save", "narrative": "x", "evidence": uploaded("a.pdf", b"MZ not a pdf")}
    response = as_user(justice_focal).post(_url("report-action", report.pk), form, follow=True)
    assert _messages(response) == ["The content of a.pdf is not that of a PDF file."]
    report.refresh_from_db()
    assert report.narrative == "" and not report.evidence


def test_changes_are_post_only_and_need_the_csrf_token(report, justice_focal):
    client = Client(enforce_csrf_checks=True)
    client.force_login(justice_focal)
    url = reverse("plans:report-action", args=[report.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"action": "save", "narrative": "x"}).status_code == 403
    report.refresh_from_db()
    assert report.narrative == ""


def test_downloads_are_for_the_reform_office(
    as_user, filled_q1, reform_admin, justice_focal, leader, outsider
):
    for name in ("report-docx", "report-xlsx"):
        url = _url(name, filled_q1.pk)
        assert as_user(justice_focal).get(url).status_code == 403
        assert as_user(leader).get(url).status_code == 403  # a viewer reads, the reform office exports
        assert as_user(outsider).get(url).status_code == 404

    office = as_user(reform_admin)
    response = office.get(_url("report-xlsx", filled_q1.pk))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="phu-luc-bao-cao-cchc-2026-Q1.xlsx"' in response["Content-Disposition"]
    assert openpyxl.load_workbook(io.BytesIO(response.getvalue())).sheetnames[0] == "Phụ lục 1"

    response = office.get(
        _url("report-docx", filled_q1.pk),
        {
            "number": "15",
            "place": "Thử Nghiệm",
            "issued_on": "2026-03-26",
            "signer_title": "KT. Chủ tịch\nPhó Chủ tịch",
        },
    )
    assert response["Content-Type"].endswith("wordprocessingml.document")
    document = docx.Document(io.BytesIO(response.getvalue()))  # a file response can be read once
    heading = document.tables[0]
    assert heading.cell(1, 0).text == "Số: 15/BC-UBND"
    assert heading.cell(1, 1).text == "Thử Nghiệm, ngày 26 tháng 3 năm 2026"
    signature = document.tables[-1].cell(0, 1).paragraphs[0].text
    assert signature == "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"


def test_the_report_downloads_with_defaults_or_refuses_a_bad_form(as_user, filled_q1, reform_admin):
    office = as_user(reform_admin)
    response = office.get(_url("report-docx", filled_q1.pk))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.getvalue()))
    assert document.tables[0].cell(1, 1).text.startswith("Thử Nghiệm, ngày ")
    assert document.tables[-1].cell(0, 0).paragraphs[1].text == "- Bộ Nội vụ;"
    response = office.get(_url("report-docx", filled_q1.pk), {"number": "15"}, follow=True)
    assert response.redirect_chain[-1][0] == _url("report-round", filled_q1.pk)
    assert _messages(response) == [
        "Place: This field is required.",
        "Signer's title: This field is required.",
    ]


def test_every_report_url_is_closed_to_another_unit(client, cast, q1):
    """What the project's permission walk does, for these routes: objects of Sở Tư pháp opened by the
    officer of Xã Tây (403/404) and by the reform office (200, or 405 for POST-only routes)."""
    justice = cast["justice"]
    own_plan = plan_services.create_plan(
        actor=None, issuing_unit=justice, title="Kế hoạch riêng Sở Tư pháp", year_from=2026
    )
    own_round = reports.create_schedules_for_year(actor=None, plan=own_plan, year=2026, kinds=["quarter"])[0]
    report = reports.start_report(actor=None, schedule=q1, unit=justice)
    evidence = uploaded("a.pdf", b"%PDF-1.7")
    reports.save_report(actor=None, report=report, narrative="x", task_lines=[], evidence=evidence)
    args = {
        "report-rounds": own_plan.pk,
        "report-round": own_round.pk,
        "report-start": own_round.pk,
        "report-docx": own_round.pk,
        "report-xlsx": own_round.pk,
        "report-detail": report.pk,
        "report-action": report.pk,
        "report-evidence": report.pk,
    }
    routes = {
        pattern.name for pattern in plan_urls.urlpatterns if str(pattern.pattern).startswith("reports/")
    }
    assert set(args) == routes
    for user, allowed in ((cast["commune_officer"], {403, 404}), (cast["reform_admin"], {200, 405})):
        client.force_login(user)
        for name, pk in args.items():
            response = client.get(_url(name, pk))
            if response.status_code == 405 and user == cast["commune_officer"]:
                response = client.post(_url(name, pk), {"action": "save"})
            assert response.status_code in allowed, f"{name} answered {response.status_code} to {user}"
