"""The demo's PAR Index on the test province: a published past year, a current year in self-assessment."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cchc.core.evidence import check_evidence
from cchc.demo.parindex import CURRENT_YEAR, PAST_DECISION, PAST_YEAR, load_demo_parindex
from cchc.demo.pdf import tiny_pdf
from cchc.parindex.models import (
    AssessmentStatus,
    Band,
    CriteriaSet,
    Evidence,
    Item,
    Method,
    Phase,
    Result,
    SurveyAnswer,
)
from cchc.parindex.queries.results import unit_results


@pytest.fixture
def loaded(cast):
    return load_demo_parindex(actor=cast["reform_admin"], organiser=cast["province"])


def test_a_published_past_year_and_a_current_year_in_self_assessment(loaded, cast):
    """One load, checked from three sides (each load takes a few seconds)."""
    _assert_past_year_is_published_with_a_result_for_every_unit(loaded, cast)
    _assert_past_year_went_through_every_step(loaded)
    _assert_current_year_is_in_self_assessment(loaded, cast)


def _assert_past_year_is_published_with_a_result_for_every_unit(loaded, cast):
    past = loaded.past
    assert past.year == PAST_YEAR
    assert past.phase == Phase.PUBLISHED
    assert past.decision_number == PAST_DECISION
    assert past.published_on == datetime.date(2026, 3, 27)
    assert past.self_assessment_until < past.appraisal_until < past.published_on
    units = {cast["home_affairs"], cast["justice"], cast["east_ward"], cast["west_commune"]}
    assert {assessment.unit for assessment in past.assessments.all()} == units
    assert not past.assessments.exclude(status=AssessmentStatus.SUBMITTED).exists()
    results = list(Result.objects.filter(campaign=past))
    assert {result.unit for result in results} == units
    for unit_type in ("agency", "commune"):
        ranks = sorted(result.rank for result in results if result.unit_type == unit_type)
        assert ranks[0] == 1
    for result in results:
        assert 0 < result.index <= 100
        assert result.band
    # The stored results are what the items give.
    computed = {result.unit.pk: result.score.quantize(Decimal("0.0001")) for result in unit_results(past)}
    assert {result.unit_id: result.score for result in results} == computed


def _assert_past_year_went_through_every_step(loaded):
    items = Item.objects.filter(assessment__campaign=loaded.past)
    self_scored = items.exclude(criterion__method__in=[Method.METRIC, Method.SURVEY])
    assert not self_scored.filter(self_score__isnull=True, not_applicable=False).exists()
    assert not items.exclude(criterion__method=Method.SURVEY).filter(appraised_at__isnull=True).exists()
    assert items.exclude(appraisal_reason="").exists()
    assert Evidence.objects.filter(item__assessment__campaign=loaded.past).count() >= 8
    answers = SurveyAnswer.objects.filter(question__questionnaire__campaign=loaded.past)
    assert answers.values("unit").distinct().count() == 4
    assert set(answers.values_list("answer", flat=True)) <= {"A", "B", "C", "D"}
    for item in items.filter(second_at__isnull=False):
        assert item.explained_at is not None and item.second_reason


def _assert_current_year_is_in_self_assessment(loaded, cast):
    """The year's end: self-assessment open, some units submitted, the focal points' units part-way."""
    current = loaded.current
    assert current.year == CURRENT_YEAR
    assert current.phase == Phase.SELF_ASSESSMENT
    assert current.self_assessment_until > timezone.localdate()
    assert current.self_assessment_until < current.appraisal_until
    items = Item.objects.filter(assessment__campaign=current).exclude(criterion__method=Method.SURVEY)
    assert not items.filter(appraised_at__isnull=False).exists()
    focal_unit = cast["justice_focal"].role_assignments.get().unit
    own = items.filter(assessment__unit=focal_unit)
    assert own.first().assessment.status == AssessmentStatus.DRAFT
    self_scored = own.exclude(criterion__method__in=[Method.METRIC])
    assert self_scored.filter(self_score__isnull=False).exists()
    assert self_scored.filter(self_score__isnull=True, not_applicable=False).exists()  # leaves left to score
    assert not Result.objects.filter(campaign=current).exists()


def test_loading_again_adds_nothing(loaded, cast):
    counts = (
        Item.objects.count(),
        Evidence.objects.count(),
        SurveyAnswer.objects.count(),
        Result.objects.count(),
    )
    again = load_demo_parindex(actor=cast["reform_admin"], organiser=cast["province"])
    assert not again.created
    assert (again.past.pk, again.current.pk) == (loaded.past.pk, loaded.current.pk)
    assert counts == (
        Item.objects.count(),
        Evidence.objects.count(),
        SurveyAnswer.objects.count(),
        Result.objects.count(),
    )
    assert CriteriaSet.objects.count() == 4
    assert Band.objects.filter(year=PAST_YEAR).count() == Band.objects.filter(year=CURRENT_YEAR).count() > 0


def test_the_generated_evidence_is_an_accepted_pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = tiny_pdf("Tài liệu kiểm chứng (Đợt 1)")
    assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")
    check_evidence(SimpleUploadedFile("kiem-chung.pdf", content, content_type="application/pdf"))
