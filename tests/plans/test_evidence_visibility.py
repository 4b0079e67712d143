"""Progress reports and their evidence files are seen by the reporting unit, the units above it, the
reform office and appraisers, not by sibling units of the same plan; the plan's tasks stay plan-wide.
The rule is declared (`visibility`) on the querysets, not written into each view."""

import datetime

import pytest
from django.urls import reverse

from cchc.accounts import services as account_services
from cchc.accounts.models import Role
from cchc.plans.models import Task, TaskUpdate
from cchc.plans.models.querysets import ProgressQuerySet, TaskPartQuerySet, Visibility
from cchc.plans.services import tasks as task_services
from tests.conftest import uploaded
from tests.plans.conftest import province_plan  # noqa: F401 (a fixture)

EVIDENCE = b"%PDF-1.7 danh sach ho so co ten nguoi dan"


@pytest.fixture
def report(cast, province_plan):  # noqa: F811
    """Sở Tư pháp reports progress on its task of the province plan, with an evidence file."""
    task = province_plan.tasks.get(lead_unit=cast["justice"])
    return task_services.report_progress(
        actor=cast["justice_focal"],
        task=task,
        status="in_progress",
        progress=40,
        narrative="Đã rà soát 12 thủ tục; danh sách kèm theo.",
        evidence=uploaded("minh-chung.pdf", EVIDENCE),
    )


def _with_role(username, unit, role):
    user = account_services.create_user(actor=None, username=username, password="mat-khau-thu-1")
    account_services.grant_role(actor=None, user=user, unit=unit, role=role)
    return user


@pytest.fixture
def people(cast):
    return {
        "own unit": cast["justice_focal"],
        "parent unit": cast["leader"],  # a viewer of the province
        "reform office": cast["reform_admin"],
        "appraiser": _with_role("thamdinh", cast["province"], Role.APPRAISER),
        "sibling agency": _with_role("snv.daumoi", cast["home_affairs"], Role.FOCAL_POINT),
        "sibling commune": cast["commune_officer"],
        "unit below": _with_role("hctp", cast["justice_division"], Role.FOCAL_POINT),
    }


SEE = {"own unit", "parent unit", "reform office", "appraiser"}


def test_the_rule_is_declared_on_the_querysets():
    assert ProgressQuerySet.visibility == Visibility.OWN_UNIT_AND_ABOVE
    assert ProgressQuerySet.unit_path == "task__lead_unit__path"
    assert TaskPartQuerySet.visibility == Visibility.PLAN_WIDE
    assert isinstance(TaskUpdate.objects.all(), ProgressQuerySet)


@pytest.mark.parametrize(
    "who",
    [
        "own unit",
        "parent unit",
        "reform office",
        "appraiser",
        "sibling agency",
        "sibling commune",
        "unit below",
    ],
)
def test_evidence_and_report_only_for_the_unit_above_and_reviewers(client, api, people, report, who):
    person = people[who]
    seen = who in SEE
    client.force_login(person)
    evidence = client.get(reverse("plans:update-evidence", args=[report.pk]))
    assert evidence.status_code == (200 if seen else 404)
    if seen:
        assert b"".join(evidence.streaming_content) == EVIDENCE
    api.force_authenticate(person)
    assert api.get(f"/api/v1/task-updates/{report.pk}/").status_code == (200 if seen else 404)
    listed = {row["id"] for row in api.get("/api/v1/task-updates/").json()["results"]}
    assert (report.pk in listed) == seen
    assert TaskUpdate.objects.for_user(person).filter(pk=report.pk).exists() == seen
    # The task itself stays visible plan-wide; its page shows the report only to those who see it.
    assert Task.objects.for_user(person).filter(pk=report.task_id).exists()
    page = client.get(reverse("plans:task", args=[report.task_id]))
    assert page.status_code == 200
    body = page.content.decode()
    assert ("Đã rà soát 12 thủ tục" in body) == seen
    assert (reverse("plans:update-evidence", args=[report.pk]) in body) == seen


def test_a_commune_report_is_hidden_from_an_agency(client, cast, province_plan):  # noqa: F811
    task = province_plan.tasks.get(lead_unit=cast["west_commune"])
    update = task_services.report_progress(
        actor=cast["commune_officer"], task=task, status="done", progress=100, narrative="Xong"
    )
    assert TaskUpdate.objects.for_user(cast["commune_officer"]).filter(pk=update.pk).exists()
    assert not TaskUpdate.objects.for_user(cast["justice_focal"]).filter(pk=update.pk).exists()
    client.force_login(cast["justice_focal"])
    assert client.get(reverse("plans:task", args=[task.pk])).status_code == 200
    assert task.deadline == datetime.date(2026, 9, 30)
