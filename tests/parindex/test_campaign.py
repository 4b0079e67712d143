"""Phases lock each other, deadlines close input, rights follow the units, every change is audited."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from cchc.core.models import AuditEntry
from cchc.parindex.models import Evidence, Item, Phase
from cchc.parindex.services import campaigns, items
from cchc.parindex.services.common import Conflict
from tests.conftest import uploaded
from tests.parindex.conftest import move_to

pytestmark = pytest.mark.usefixtures("english")


def _item(campaign, unit, method="manual"):
    return (
        Item.objects.select_related("criterion")
        .filter(assessment__campaign=campaign, assessment__unit=unit, criterion__method=method)
        .order_by("criterion__position")
        .first()
    )


def test_only_the_reform_office_runs_the_campaign(campaign, cast):
    with pytest.raises(PermissionDenied):
        campaigns.advance_phase(actor=cast["justice_focal"], campaign=campaign)
    with pytest.raises(ValidationError):
        campaigns.create_campaign(actor=cast["reform_admin"], organiser=cast["province"], year=campaign.year)
    campaign.refresh_from_db()
    assert campaign.phase == Phase.PREPARATION


def test_deadlines_must_follow_the_phases(campaign, cast):
    with pytest.raises(ValidationError):
        campaigns.set_deadlines(
            actor=cast["reform_admin"],
            campaign=campaign,
            deadlines={
                "appraisal_until": datetime.date(2026, 1, 1),
                "self_assessment_until": datetime.date(2026, 2, 1),
            },
        )
    campaigns.set_deadlines(
        actor=cast["reform_admin"],
        campaign=campaign,
        deadlines={"self_assessment_until": datetime.date(2026, 12, 1)},
    )
    entry = AuditEntry.objects.filter(action="par_campaign.deadlines").get()
    assert entry.before["self_assessment_until"] == "2099-12-31"
    assert entry.after["self_assessment_until"] == "2026-12-01"


def test_self_assessment_is_refused_outside_its_phase_and_after_its_deadline(campaign, cast):
    item = _item(campaign, cast["justice"])
    with pytest.raises(ValidationError):
        items.self_assess(actor=cast["justice_focal"], item=item, reported="1")
    campaign = move_to(campaign, Phase.SELF_ASSESSMENT, cast["reform_admin"])
    campaigns.set_deadlines(
        actor=cast["reform_admin"],
        campaign=campaign,
        deadlines={"self_assessment_until": datetime.date(2026, 12, 1)},
    )
    # 06:00 on 02/12 in Việt Nam: the deadline day is over.
    late = datetime.datetime(2026, 12, 1, 23, 0, tzinfo=datetime.UTC)
    with time_machine.travel(late, tick=False), pytest.raises(ValidationError) as refused:
        items.self_assess(actor=cast["justice_focal"], item=item, reported="1")
    assert "01/12/2026" in str(refused.value)
    with time_machine.travel(datetime.datetime(2026, 12, 1, 16, 0, tzinfo=datetime.UTC), tick=False):
        items.self_assess(actor=cast["justice_focal"], item=item, reported="1")
    item.refresh_from_db()
    assert item.self_score == Decimal("1.00")


def test_a_unit_scores_only_itself(self_assessing, cast):
    item = _item(self_assessing, cast["justice"])
    with pytest.raises(PermissionDenied):
        items.self_assess(actor=cast["commune_officer"], item=item, reported="1")
    item.refresh_from_db()
    assert item.self_score is None
    with pytest.raises(PermissionDenied):
        items.appraise_item(actor=cast["justice_focal"], item=item, accept=True)


def test_every_score_change_is_in_the_item_history(self_assessing, cast):
    item = _item(self_assessing, cast["justice"])
    items.self_assess(actor=cast["justice_focal"], item=item, reported="1", note="Văn bản số 5")
    items.self_assess(actor=cast["justice_focal"], item=item, reported="0,5")
    history = AuditEntry.objects.filter(object_id=str(item.pk), action="par_item.self_assess").order_by("pk")
    assert [(entry.before["self_score"], entry.after["self_score"]) for entry in history] == [
        (None, "1.00"),
        ("1.00", "0.50"),
    ]
    assert history[0].actor == cast["justice_focal"]


def test_two_appraisers_cannot_overwrite_each_other(self_assessing, cast):
    item = _item(self_assessing, cast["justice"])
    items.self_assess(actor=cast["justice_focal"], item=item, reported="1", note="x")
    campaign = move_to(self_assessing, Phase.APPRAISAL, cast["reform_admin"])
    item.refresh_from_db()
    seen_by_both = item.version
    items.appraise_item(
        actor=cast["reform_admin"],
        item=item,
        accept=False,
        score="0.5",
        reason="Thiếu minh chứng",
        expected_version=seen_by_both,
    )
    with pytest.raises(Conflict):
        items.appraise_item(actor=cast["reform_admin"], item=item, accept=True, expected_version=seen_by_both)
    item.refresh_from_db()
    assert item.appraised_score == Decimal("0.50")
    assert campaign.phase == Phase.APPRAISAL


def test_adjusting_needs_a_reason_and_accepting_needs_a_score(self_assessing, cast):
    item = _item(self_assessing, cast["justice"])
    move_to(self_assessing, Phase.APPRAISAL, cast["reform_admin"])
    with pytest.raises(ValidationError):
        items.appraise_item(actor=cast["reform_admin"], item=item, accept=True)
    with pytest.raises(ValidationError):
        items.appraise_item(actor=cast["reform_admin"], item=item, accept=False, score="1", reason=" ")
    item.refresh_from_db()
    assert item.appraised_at is None


def test_submission_needs_scores_and_evidence_or_an_explanation(self_assessing, cast, justice_leader):
    assessment = self_assessing.assessments.get(unit=cast["justice"])
    with pytest.raises(ValidationError) as refused:
        items.submit_assessment(actor=justice_leader, assessment=assessment)
    assert len(refused.value.messages) > 10
    evidence_leaf = assessment.items.filter(
        criterion__evidence_required=True, criterion__method="manual"
    ).first()
    for item in assessment.items.select_related("criterion").exclude(
        criterion__method__in=["metric", "survey"]
    ):
        items.self_assess(actor=cast["justice_focal"], item=item, not_applicable=True)
    items.self_assess(actor=cast["justice_focal"], item=evidence_leaf, reported="0")
    with pytest.raises(ValidationError) as refused:
        items.submit_assessment(actor=justice_leader, assessment=assessment)
    assert refused.value.messages == [
        f"{evidence_leaf.criterion.code} needs evidence files or a written explanation of the score."
    ]
    items.add_evidence(
        actor=cast["justice_focal"],
        item=evidence_leaf,
        upload=uploaded("qd.pdf", b"%PDF-1.4\n%x\n"),
    )
    items.submit_assessment(actor=justice_leader, assessment=assessment)
    with pytest.raises(ValidationError):
        items.self_assess(actor=cast["justice_focal"], item=evidence_leaf, reported="1")


def test_evidence_of_the_wrong_kind_is_refused(self_assessing, cast):
    item = _item(self_assessing, cast["justice"])
    with pytest.raises(ValidationError):
        items.add_evidence(actor=cast["justice_focal"], item=item, upload=uploaded("qd.pdf", b"MZ\x90\x00"))
    with pytest.raises(ValidationError):
        items.add_evidence(actor=cast["justice_focal"], item=item, upload=uploaded("run.exe", b"MZ"))
    with pytest.raises(PermissionDenied):
        items.add_evidence(actor=cast["commune_officer"], item=item, upload=uploaded("qd.pdf", b"%PDF-1.4\n"))
    assert not Evidence.objects.exists()


def test_explanation_once_and_second_appraisal_is_final(self_assessing, cast):
    item = _item(self_assessing, cast["justice"])
    other = (
        Item.objects.filter(assessment=item.assessment, criterion__method="manual")
        .exclude(pk=item.pk)
        .first()
    )
    for each in (item, other):
        items.self_assess(actor=cast["justice_focal"], item=each, reported="1", note="x")
    campaign = move_to(self_assessing, Phase.APPRAISAL, cast["reform_admin"])
    items.appraise_item(
        actor=cast["reform_admin"], item=item, accept=False, score="0", reason="Không có văn bản"
    )
    items.appraise_item(actor=cast["reform_admin"], item=other, accept=True)
    campaign = move_to(campaign, Phase.EXPLANATION, cast["reform_admin"])
    with pytest.raises(ValidationError):
        items.explain_item(actor=cast["justice_focal"], item=other, text="Không đồng ý")  # not adjusted
    items.explain_item(actor=cast["justice_focal"], item=item, text="Văn bản số 12/KH-STP kèm theo")
    with pytest.raises(ValidationError):
        items.explain_item(actor=cast["justice_focal"], item=item, text="Lần nữa")
    campaign = move_to(campaign, Phase.SECOND_APPRAISAL, cast["reform_admin"])
    with pytest.raises(ValidationError):
        items.second_appraise(actor=cast["reform_admin"], item=other, score="0", reason="x")
    items.second_appraise(actor=cast["reform_admin"], item=item, score="1", reason="Chấp nhận giải trình")
    item.refresh_from_db()
    assert (item.appraised_score, item.second_score, item.final_score) == (Decimal(0), Decimal(1), Decimal(1))
    campaign = move_to(campaign, Phase.FINALISATION, cast["reform_admin"])
    with pytest.raises(ValidationError):
        items.second_appraise(actor=cast["reform_admin"], item=item, score="0", reason="Đổi ý")


def test_publication_needs_the_decision_number(campaign, cast):
    campaign = move_to(campaign, Phase.FINALISATION, cast["reform_admin"])
    with pytest.raises(ValidationError):
        campaigns.advance_phase(actor=cast["reform_admin"], campaign=campaign)
    campaign = campaigns.advance_phase(
        actor=cast["reform_admin"], campaign=campaign, decision_number="68/QĐ-UBND"
    )
    assert campaign.phase == Phase.PUBLISHED and campaign.published_on is not None
    with pytest.raises(ValidationError):
        campaigns.advance_phase(actor=cast["reform_admin"], campaign=campaign)
