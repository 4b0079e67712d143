"""The right people for each kind of event in the other modules: tasks, findings, PAR Index, feedback."""

import pytest

from cchc.accounts.models import Role
from cchc.notifications.models import Notification
from cchc.parindex.models import Assessment, Phase
from cchc.parindex.services import campaigns
from cchc.plans.services import tasks as task_services
from cchc.surveys.models import FeedbackKind
from cchc.surveys.services import feedback as feedback_services
from tests.conftest import _person
from tests.parindex.conftest import campaign, criteria_sets, move_to  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def told(**filters):
    return sorted(Notification.objects.filter(**filters).values_list("recipient__username", flat=True))


def test_a_progress_report_goes_to_the_reform_office_and_its_review_back(plan, cast, committed):
    task = plan.tasks.get(code="T2")
    with committed():
        update = task_services.report_progress(
            actor=cast["justice_focal"],
            task=task,
            status="in_progress",
            progress=50,
            narrative="Đã làm một nửa.",
        )
    assert told(kind="plans_task") == ["snv.admin"]
    with committed():
        task_services.review_update(
            actor=cast["reform_admin"], update=update, accept=False, comment="Thiếu minh chứng"
        )
    returned = Notification.objects.get(recipient=cast["justice_focal"])
    assert "bị trả lại" in returned.title and returned.body == "Thiếu minh chứng"


def test_phase_openings_reach_those_with_work_in_them(campaign, cast, committed):  # noqa: F811
    appraiser = _person("snv.thamdinh", "Võ Thẩm Định", (cast["province"], Role.APPRAISER))
    with committed():
        campaign = campaigns.advance_phase(actor=cast["reform_admin"], campaign=campaign)
    assert campaign.phase == Phase.SELF_ASSESSMENT
    # The focal points of the assessed units; Sở Nội vụ and Phường Đông have none; the reform office
    # opened it and the appraiser has nothing to do yet.
    assert told(kind="par_phase") == ["stp.daumoi", "xatay.canbo"]
    justice = Notification.objects.get(recipient=cast["justice_focal"])
    assessment = Assessment.objects.get(campaign=campaign, unit=cast["justice"])
    assert justice.link == f"/parindex/assessments/{assessment.pk}/"
    assert "tự đánh giá" in justice.title and "31/12/2099" in justice.title
    with committed():
        move_to(campaign, Phase.APPRAISAL, cast["reform_admin"])
    assert told(kind="par_phase", recipient=appraiser) == ["snv.thamdinh"]


def test_routed_feedback_goes_to_the_units_focal_points(cast, committed):
    received = feedback_services.receive_feedback(
        actor=cast["reform_admin"],
        organiser=cast["province"],
        kind=FeedbackKind.values[0],
        title="Đường vào trụ sở xã ngập nước",
        content="Đề nghị xử lý.",
    )
    assert not Notification.objects.exists()  # not yet with a unit
    with committed():
        feedback_services.route_feedback(
            actor=cast["reform_admin"], feedback=received, unit=cast["west_commune"]
        )
    (notification,) = Notification.objects.all()
    assert notification.recipient == cast["commune_officer"]
    assert received.receipt_code in notification.title and "Xã Tây" in notification.title
    assert notification.link == f"/surveys/feedback/{received.pk}/"


def test_a_phase_already_left_when_the_job_runs_tells_nobody_twice(campaign, cast, committed):  # noqa: F811
    # Two advances before the queued jobs run (a worker behind): each row speaks of its own phase, so
    # the self-assessment row, now stale, adds nothing and the appraisal is announced once.
    appraiser = _person("snv.thamdinh", "Võ Thẩm Định", (cast["province"], Role.APPRAISER))
    with committed():
        campaign = move_to(campaign, Phase.APPRAISAL, cast["reform_admin"])
    assert told(kind="par_phase") == ["snv.thamdinh"]
    (notification,) = Notification.objects.filter(recipient=appraiser)
    assert "thẩm định" in notification.title


def test_a_phase_opening_costs_the_same_queries_for_more_units(campaign, cast, committed):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cchc.core.models import AuditEntry
    from cchc.parindex.notify_rules import phase_opened

    with committed():
        campaigns.advance_phase(actor=cast["reform_admin"], campaign=campaign)
    entry = AuditEntry.objects.filter(action="par_campaign.advance").latest("pk")
    with CaptureQueriesContext(connection) as few:
        assert len(phase_opened(entry)) == 2
    _person("dong.canbo", "Lê Cán Bộ Đông", (cast["east_ward"], Role.FOCAL_POINT))
    with CaptureQueriesContext(connection) as more:
        assert len(phase_opened(entry)) == 3
    assert len(more.captured_queries) == len(few.captured_queries)
