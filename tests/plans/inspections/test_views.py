"""The inspection pages: what each user sees, what each may change, and how refusals come back.

Pages are read in English (the language cookie) so that the messages can be compared with the
services' own texts whatever the Vietnamese catalogue says.
"""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from cchc.core.models import AuditEntry
from cchc.plans.models import Finding, Inspection, InspectionPlan
from cchc.plans.services import inspections as services
from tests.conftest import uploaded

pytestmark = pytest.mark.django_db


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def body(response):
    return response.content.decode()


def counts():
    return (
        InspectionPlan.objects.count(),
        Inspection.objects.count(),
        list(Finding.objects.values_list("pk", "state")),
        AuditEntry.objects.count(),
    )


# Reading


def test_plan_list_shows_the_years_plans_to_those_who_see_the_issuer(as_user, justice_inspection, cast):
    plan = justice_inspection.plan
    services.create_inspection_plan(
        actor=cast["reform_admin"], issuing_unit=cast["province"], year=2025, title="Kế hoạch năm trước"
    )
    response = as_user(cast["leader"]).get(reverse("plans:inspection-plans"))
    assert response.status_code == 200
    page = body(response)
    assert f'data-testid="plan-{plan.pk}"' in page and "Kế hoạch kiểm tra CCHC năm 2026" in page
    assert "Kế hoạch năm trước" not in page
    assert 'data-testid="plan-form"' not in page  # a viewer cannot plan
    assert "Kế hoạch năm trước" in body(
        as_user(cast["leader"]).get(reverse("plans:inspection-plans"), {"year": 2025})
    )
    assert "Kế hoạch kiểm tra CCHC" not in body(
        as_user(cast["justice_focal"]).get(reverse("plans:inspection-plans"))
    )
    assert 'data-testid="plan-form"' in body(
        as_user(cast["reform_admin"]).get(reverse("plans:inspection-plans"))
    )


def test_plan_page_lists_inspections_with_finding_counts_and_coverage(
    as_user, cast, finding, commune_inspection, django_assert_max_num_queries
):
    services.add_finding(
        actor=cast["reform_admin"],
        inspection=finding.inspection,
        description="Quá hạn",
        responsible_unit=cast["justice"],
        remedy_required="Sửa",
        deadline=datetime.date(2026, 3, 9),
    )
    client = as_user(cast["leader"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("plans:inspection-plan", args=[finding.inspection.plan_id]))
    page = body(response)
    row = page.split(f'data-testid="inspection-{finding.inspection_id}"')[1].split("</tr>")[0]
    assert "Sở Tư pháp" in row and "02/03/2026" in row and "03/03/2026" in row
    assert [cell.split(">")[-1] for cell in row.split("</td>")[-4:-1]] == ["2", "2", "1"]
    commune_row = page.split(f'data-testid="inspection-{commune_inspection.pk}"')[1].split("</tr>")[0]
    assert "Xã Tây" in commune_row and "Unannounced" in commune_row
    coverage = page.split('data-testid="coverage"')[1].split("</table>")[0]
    # Agencies: Sở Tư pháp of Sở Nội vụ and Sở Tư pháp; communes: none of two yet.
    assert "1 / 2" in coverage and "50.0" in coverage
    assert "0 / 2" in coverage and "1 / 4" in coverage and "25.0" in coverage
    assert 'data-testid="inspection-form"' not in page


def test_inspection_page_shows_its_findings_to_the_inspected_unit(cast, as_user, finding):
    response = as_user(cast["justice_focal"]).get(reverse("plans:inspection", args=[finding.inspection_id]))
    page = body(response)
    assert response.status_code == 200
    assert f'data-testid="finding-{finding.pk}"' in page and "30/04/2026" in page
    assert 'data-testid="record-form"' not in page and 'data-testid="finding-form"' not in page
    # The plan itself is the province's: no link to a page it could not open.
    assert reverse("plans:inspection-plan", args=[finding.inspection.plan_id]) not in page


@pytest.mark.parametrize(
    "name",
    ["plans:inspection-plan", "plans:inspection", "plans:finding"],
)
def test_another_units_user_gets_404(cast, as_user, finding, name):
    target = {
        "plans:inspection-plan": finding.inspection.plan_id,
        "plans:inspection": finding.inspection_id,
    }.get(name, finding.pk)
    assert as_user(cast["commune_officer"]).get(reverse(name, args=[target])).status_code == 404


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("plans:inspection-create", {"inspected_unit": "", "kind": "scheduled"}),
        ("plans:inspection-record", {"done_on": "05/03/2026", "team": "X"}),
        ("plans:finding-create", {"description": "X"}),
        ("plans:finding-action", {"action": "report", "remedy_report": "X"}),
    ],
)
def test_another_units_user_cannot_post_either(cast, as_user, finding, name, data):
    target = {"plans:inspection-create": finding.inspection.plan_id, "plans:finding-action": finding.pk}.get(
        name, finding.inspection_id
    )
    before = counts()
    assert as_user(cast["commune_officer"]).post(reverse(name, args=[target]), data).status_code == 404
    assert counts() == before


def test_findings_list_defaults_to_mine_for_a_focal_point_and_highlights_overdue(as_user, cast, finding):
    admin = cast["reform_admin"]
    late = services.add_finding(
        actor=admin,
        inspection=finding.inspection,
        description="Đã quá hạn",
        responsible_unit=cast["justice"],
        remedy_required="Sửa",
        deadline=datetime.date(2026, 3, 9),
    )
    commune = services.add_inspection(
        actor=admin, plan=finding.inspection.plan, inspected_unit=cast["east_ward"]
    )
    services.record_inspection(
        actor=admin, inspection=commune, done_on=datetime.date(2026, 3, 4), team="Đoàn"
    )
    ward_finding = services.add_finding(
        actor=admin,
        inspection=commune,
        description="Việc của phường",
        responsible_unit=cast["east_ward"],
        remedy_required="Sửa",
        deadline=datetime.date(2026, 5, 4),
    )
    page = body(as_user(cast["justice_focal"]).get(reverse("plans:findings")))
    assert "My findings to remedy" in page
    assert f'data-testid="finding-{finding.pk}">' in page
    assert f'data-testid="finding-{late.pk}" class="table-danger"' in page
    assert f'data-testid="finding-{ward_finding.pk}"' not in page

    client = as_user(cast["reform_admin"])
    page = body(client.get(reverse("plans:findings")))
    assert all(f'data-testid="finding-{item.pk}"' in page for item in (finding, late, ward_finding))
    # A viewer has nothing to remedy, but may look at everything it sees.
    leader = as_user(cast["leader"])
    assert 'data-testid="finding-' not in body(leader.get(reverse("plans:findings")))
    page = body(leader.get(reverse("plans:findings"), {"show": "all"}))
    assert all(f'data-testid="finding-{item.pk}"' in page for item in (finding, late, ward_finding))
    client = as_user(cast["reform_admin"])
    overdue_page = body(client.get(reverse("plans:findings"), {"state": "overdue"}))
    assert f'data-testid="finding-{late.pk}"' in overdue_page
    assert f'data-testid="finding-{finding.pk}"' not in overdue_page


def test_findings_list_shows_an_outsider_nothing(cast, as_user, finding):
    page = body(as_user(cast["commune_officer"]).get(reverse("plans:findings"), {"show": "all"}))
    assert "Sở Tư pháp" not in page and f'data-testid="finding-{finding.pk}"' not in page


# Changing


def test_the_reform_office_creates_a_plan_adds_and_records_an_inspection_and_a_finding(as_user, cast):
    client = as_user(cast["reform_admin"])
    response = client.post(
        reverse("plans:inspection-plan-create"),
        {"issuing_unit": cast["province"].pk, "year": 2026, "number": "20/KH-UBND", "title": "Kiểm tra 2026"},
    )
    plan = InspectionPlan.objects.get(title="Kiểm tra 2026")
    assert response.status_code == 302 and response["Location"] == reverse(
        "plans:inspection-plan", args=[plan.pk]
    )
    response = client.post(
        reverse("plans:inspection-create", args=[plan.pk]),
        {"inspected_unit": cast["justice"].pk, "kind": "scheduled", "planned_on": "02/03/2026"},
    )
    inspection = Inspection.objects.get(plan=plan)
    assert (inspection.inspected_unit, inspection.planned_on) == (cast["justice"], datetime.date(2026, 3, 2))
    client.post(
        reverse("plans:inspection-record", args=[inspection.pk]),
        {"done_on": "03/03/2026", "team": "Đoàn 1", "conclusion": "Đạt"},
    )
    inspection.refresh_from_db()
    assert (inspection.done_on, inspection.team) == (datetime.date(2026, 3, 3), "Đoàn 1")
    response = client.post(
        reverse("plans:finding-create", args=[inspection.pk]),
        {
            "description": "Thiếu niêm yết",
            "responsible_unit": cast["justice"].pk,
            "remedy_required": "Niêm yết",
            "deadline": "30/04/2026",
        },
    )
    assert response.status_code == 302
    assert Finding.objects.get().deadline == datetime.date(2026, 4, 30)


def test_a_service_refusal_comes_back_as_a_message_with_the_form_kept(as_user, cast, justice_inspection):
    before = counts()
    response = as_user(cast["reform_admin"]).post(
        reverse("plans:finding-create", args=[justice_inspection.pk]),
        {
            "description": "Thiếu niêm yết",
            "responsible_unit": cast["justice"].pk,
            "remedy_required": "Niêm yết",
            "deadline": "01/03/2026",
        },
    )
    assert response.status_code == 200
    assert texts(response) == ["The deadline must come after the inspection."]
    assert "Thiếu niêm yết" in body(response)  # what was typed is still there
    assert counts() == before


def test_a_malformed_form_is_refused_with_a_message(as_user, cast, inspection_plan):
    before = counts()
    response = as_user(cast["reform_admin"]).post(
        reverse("plans:inspection-create", args=[inspection_plan.pk]),
        {"inspected_unit": cast["justice"].pk, "kind": "scheduled", "planned_on": "31/02/2026"},
    )
    assert response.status_code == 200
    assert len(texts(response)) == 1 and "dd/mm/yyyy" in texts(response)[0]
    assert counts() == before


def test_a_commune_officer_cannot_add_findings_to_its_own_inspection(as_user, cast, commune_inspection):
    services.record_inspection(
        actor=cast["reform_admin"],
        inspection=commune_inspection,
        done_on=datetime.date(2026, 3, 5),
        team="Đoàn",
    )
    client = as_user(cast["commune_officer"])
    page = body(client.get(reverse("plans:inspection", args=[commune_inspection.pk])))
    assert 'data-testid="finding-form"' not in page
    before = counts()
    response = client.post(
        reverse("plans:finding-create", args=[commune_inspection.pk]),
        {
            "description": "Tự ghi",
            "responsible_unit": cast["west_commune"].pk,
            "remedy_required": "Sửa",
            "deadline": "30/04/2026",
        },
    )
    assert response.status_code == 403  # the page offers no such form: only a forged request gets here
    assert counts() == before


def test_the_responsible_unit_reports_a_remedy_with_evidence_but_cannot_verify(as_user, cast, finding, media):
    client = as_user(cast["justice_focal"])
    page = body(client.get(reverse("plans:finding", args=[finding.pk])))
    assert 'data-testid="remedy-form"' in page and 'data-testid="verify-form"' not in page
    response = client.post(
        reverse("plans:finding-action", args=[finding.pk]),
        {
            "action": "report",
            "remedy_report": "Đã niêm yết đủ",
            "evidence": uploaded("bien-ban.pdf", b"%PDF-1.4 x"),
        },
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert (finding.state, finding.remedy_report) == (Finding.REMEDIED, "Đã niêm yết đủ")
    download = client.get(reverse("plans:finding", args=[finding.pk]) + "?evidence")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 x"
    assert (
        as_user(cast["commune_officer"])
        .get(reverse("plans:finding", args=[finding.pk]) + "?evidence")
        .status_code
        == 404
    )
    client = as_user(cast["justice_focal"])

    before = counts()
    response = client.post(
        reverse("plans:finding-action", args=[finding.pk]), {"action": "verify", "decision": "accept"}
    )
    assert response.status_code == 403
    assert counts() == before


def test_the_reform_office_reopens_with_a_reason_then_verifies(as_user, cast, finding):
    services.report_remedy(actor=cast["justice_focal"], finding=finding, remedy_report="Đã làm")
    client = as_user(cast["reform_admin"])
    url = reverse("plans:finding-action", args=[finding.pk])
    before = counts()
    response = client.post(url, {"action": "verify", "decision": "reopen", "reason": ""})
    assert texts(response) == ["Say why the remedy is not accepted."]
    assert counts() == before

    client.post(url, {"action": "verify", "decision": "reopen", "reason": "Thiếu biên bản"})
    finding.refresh_from_db()
    assert finding.state == Finding.OPEN
    page = body(as_user(cast["justice_focal"]).get(reverse("plans:finding", args=[finding.pk])))
    assert "Thiếu biên bản" in page.split('data-testid="reopened"')[1].split("</div>")[0]

    services.report_remedy(actor=cast["justice_focal"], finding=finding, remedy_report="Đã bổ sung")
    client = as_user(cast["reform_admin"])
    assert 'data-testid="verify-form"' in body(client.get(reverse("plans:finding", args=[finding.pk])))
    client.post(url, {"action": "verify", "decision": "accept"})
    finding.refresh_from_db()
    assert (finding.state, finding.verified_by) == (Finding.VERIFIED, cast["reform_admin"])


def test_changes_are_post_only_and_need_the_csrf_token(cast, finding):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["justice_focal"])
    url = reverse("plans:finding-action", args=[finding.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"action": "report", "remedy_report": "Đã làm"}).status_code == 403
    finding.refresh_from_db()
    assert finding.state == Finding.OPEN


def test_anonymous_visitors_are_sent_to_sign_in(client, finding):
    for url in (
        reverse("plans:inspection-plans"),
        reverse("plans:findings"),
        reverse("plans:finding", args=[finding.pk]),
        reverse("plans:finding-action", args=[finding.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_a_focal_point_cannot_create_a_plan_for_the_province(as_user, cast):
    before = counts()
    response = as_user(cast["justice_focal"]).post(
        reverse("plans:inspection-plan-create"),
        {"issuing_unit": cast["province"].pk, "year": 2026, "title": "Kế hoạch lạ"},
    )
    assert response.status_code == 200
    assert texts(response)[0].startswith("Issuing unit:")
    assert 'data-testid="plan-form"' not in body(response)
    assert counts() == before


def test_recording_a_future_date_is_refused_on_the_page(cast, as_user, justice_inspection):
    before = counts()
    response = as_user(cast["reform_admin"]).post(
        reverse("plans:inspection-record", args=[justice_inspection.pk]),
        {"done_on": "11/03/2026", "team": "Đoàn mới"},
    )
    assert texts(response) == ["The inspection date cannot be in the future."]
    assert 'value="Đoàn mới"' in body(response)
    assert counts() == before


def test_findings_list_filters_by_state(as_user, cast, finding):
    services.report_remedy(actor=cast["justice_focal"], finding=finding, remedy_report="Đã làm")
    client = as_user(cast["reform_admin"])
    assert f'data-testid="finding-{finding.pk}"' in body(
        client.get(reverse("plans:findings"), {"state": "remedied"})
    )
    assert f'data-testid="finding-{finding.pk}"' not in body(
        client.get(reverse("plans:findings"), {"state": "open"})
    )


def test_unknown_actions_and_missing_evidence(cast, as_user, finding):
    client = as_user(cast["reform_admin"])
    before = counts()
    response = client.post(reverse("plans:finding-action", args=[finding.pk]), {"action": "delete"})
    assert response.status_code == 302 and texts(response) == ["Unknown action."]
    assert counts() == before
    assert client.get(reverse("plans:finding", args=[finding.pk]) + "?evidence").status_code == 404


def test_every_page_opens_in_the_default_language(client, cast, finding):
    client.force_login(cast["reform_admin"])
    for url in (
        reverse("plans:inspection-plans"),
        reverse("plans:inspection-plan", args=[finding.inspection.plan_id]),
        reverse("plans:inspection", args=[finding.inspection_id]),
        reverse("plans:findings"),
        reverse("plans:finding", args=[finding.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="vi">' in body(response), url
    coverage = body(client.get(reverse("plans:inspection-plan", args=[finding.inspection.plan_id])))
    assert "50,0\u00a0%" in coverage  # Vietnamese decimal comma
