"""Totals, indices, ranks with ties, bands, "not applicable", bonus, penalty, survey, lineage."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from cchc.parindex.models import Campaign, Item, Phase, Result
from cchc.parindex.queries import survey as survey_queries
from cchc.parindex.queries.results import unit_results
from cchc.parindex.services import bands, campaigns, criteria, items, survey
from cchc.parindex.services.common import ImportRefused
from cchc.parindex.services.results import import_scores
from cchc.units.services import units as unit_services
from tests.parindex.conftest import move_to

SMALL = (
    "code,parent_code,title,max_points,method,threshold,evidence_required,not_applicable_rule,metric\n"
    "1,,Chỉ đạo,10,,,,,\n"
    "1.1,1,Kế hoạch,6,manual,,0,exclude,\n"
    "1.2,1,Báo cáo,2,yes_no,,0,exclude,\n"
    "1.3,1,Một cửa,2,manual,,0,full,\n"
    "1.4,1,Thưởng,1,bonus,,0,exclude,\n"
    "1.5,1,Phạt,1,penalty,,0,exclude,\n"
    "2,,Điều tra xã hội học,10,,,,,\n"
    "2.1,2,Đánh giá của người dân,10,survey,,0,exclude,\n"
)
FAR = datetime.date(2099, 12, 31)


def small_campaign(cast, year=2026, extra_agencies=()):
    for unit_type in ("agency", "commune"):
        criteria.import_criteria(
            actor=None, content=SMALL.encode(), filename="nho.csv", year=year, unit_type=unit_type
        )
    bands.load_default_bands(actor=None, year=year)
    return campaigns.create_campaign(
        actor=cast["reform_admin"],
        organiser=cast["province"],
        year=year,
        deadlines={"appraisal_until": FAR},
    )


def appraise(campaign, unit, scores, not_applicable=()):
    """Appraised scores as given; the campaign must be in the appraisal phase."""
    for code, points in scores.items():
        item = Item.objects.get(assessment__campaign=campaign, assessment__unit=unit, criterion__code=code)
        items.appraise_item(actor=None, item=item, accept=False, score=str(points), reason="Thẩm định")
    for code in not_applicable:
        item = Item.objects.get(assessment__campaign=campaign, assessment__unit=unit, criterion__code=code)
        items.appraise_item(actor=None, item=item, accept=False, not_applicable=True, reason="Không áp dụng")


@pytest.fixture
def third_agency(province):
    return unit_services.create_unit(
        actor=None,
        name="Sở Y tế",
        type="agency",
        code="99.SYT",
        parent=province,
        kind="Sở",
        valid_from=datetime.date(2025, 7, 1),
    )


def test_index_rank_ties_and_bands(cast, third_agency):
    campaign = move_to(small_campaign(cast), Phase.APPRAISAL, None)
    appraise(campaign, cast["justice"], {"1.1": 6, "1.2": 2, "1.3": 1})  # 9 / 10
    appraise(campaign, cast["home_affairs"], {"1.1": 5, "1.2": 2, "1.3": 2})  # 9 / 10
    appraise(campaign, third_agency, {"1.1": 6, "1.3": 2}, not_applicable=["1.2"])  # 8 / 8
    results = {result.unit: result for result in unit_results(campaign, "agency")}
    # No survey answers: the survey leaf drops out of the maximum (no data is not zero).
    assert results[cast["justice"]].max_points == Decimal(10)
    assert results[third_agency].max_points == Decimal(8)
    assert results[third_agency].index == Decimal(100)
    assert [results[u].rank for u in (third_agency, cast["justice"], cast["home_affairs"])] == [1, 2, 2]
    assert results[cast["justice"]].band == "Xuất sắc"
    assert results[cast["justice"]].index_shown == Decimal("90.00")


def test_full_points_rule_bonus_and_penalty(cast):
    campaign = move_to(small_campaign(cast), Phase.APPRAISAL, None)
    appraise(campaign, cast["justice"], {"1.1": 3, "1.2": 0, "1.4": "0.5", "1.5": 1}, not_applicable=["1.3"])
    result = next(r for r in unit_results(campaign, "agency") if r.unit == cast["justice"])
    # 3 + 0 + 2 (not applicable, awarded in full) + 0.5 bonus − 1 penalty = 4.5 of 10
    assert result.score == Decimal("4.5")
    assert result.max_points == Decimal(10)
    assert result.index == Decimal(45)
    assert result.band == "Yếu"


def test_index_is_kept_at_full_precision(cast):
    campaign = move_to(small_campaign(cast), Phase.APPRAISAL, None)
    appraise(campaign, cast["justice"], {"1.1": "4.67", "1.2": 2, "1.3": "1.01"})
    result = next(r for r in unit_results(campaign, "agency") if r.unit == cast["justice"])
    assert result.index == Decimal("76.8")
    assert result.index_shown == Decimal("76.80")
    appraise(campaign, cast["justice"], {"1.1": "1"})
    result = next(r for r in unit_results(campaign, "agency") if r.unit == cast["justice"])
    assert result.score == Decimal("4.01")


def test_survey_component_uses_the_answer_weights(cast):
    campaign = small_campaign(cast)
    questionnaire = survey.default_questionnaires(actor=None, campaign=campaign)[0]
    answers = ["A", "B", "C", "D", "A"]  # weights 100, 60, 20, 0, 100: mean 56 %
    for number, letter in enumerate(answers, start=1):
        survey.record_response(
            actor=cast["reform_admin"],
            questionnaire=questionnaire,
            unit=cast["justice"],
            respondent=f"P{number}",
            answers={"2.1": letter},
        )
    campaign = move_to(campaign, Phase.APPRAISAL, None)
    appraise(campaign, cast["justice"], {"1.1": 6, "1.2": 2, "1.3": 2})
    result = next(r for r in unit_results(campaign, "agency") if r.unit == cast["justice"])
    assert result.score == Decimal("15.6")  # 10 + 10 × 0.56
    assert result.max_points == Decimal(20)
    survey.set_answer_weights(
        actor=cast["reform_admin"], campaign=campaign, weights={"A": 100, "B": 50, "C": 25, "D": 0}
    )
    result = next(r for r in unit_results(campaign, "agency") if r.unit == cast["justice"])
    assert result.score == Decimal("15.5")  # 10 + 10 × 0.55


def test_survey_answer_import_is_all_or_nothing(cast):
    campaign = small_campaign(cast)
    questionnaire = survey.default_questionnaires(actor=None, campaign=campaign)[0]
    header = "questionnaire_code,respondent,unit_code,question_code,answer\n"
    good = header + f"{questionnaire.code},1,99.STP,2.1,A\n{questionnaire.code},2,99.STP,2.1,b\n"
    assert (
        survey.import_answers(
            actor=cast["reform_admin"], campaign=campaign, content=good.encode(), filename="a.csv"
        )["created"]
        == 2
    )
    bad = header + f"{questionnaire.code},3,99.STP,2.1,A\n{questionnaire.code},4,99.STP,2.1,E\n"
    with pytest.raises(ImportRefused) as refused:
        survey.import_answers(
            actor=cast["reform_admin"], campaign=campaign, content=bad.encode(), filename="a.csv"
        )
    assert refused.value.rows[0][:2] == (3, "answer")
    assert survey_queries.forms_per_unit(campaign) == {"99.STP": 2}
    again = survey.import_answers(
        actor=cast["reform_admin"], campaign=campaign, content=good.encode(), filename="a.csv"
    )
    assert again == {"created": 0, "updated": 0, "unchanged": 2}


def _old_unit(cast, name, code):
    return unit_services.create_unit(
        actor=None,
        name=name,
        type="agency",
        code=code,
        parent=cast["province"],
        kind="Sở",
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2025, 12, 31),
    )


def _import_2025(cast, rows):
    header = "unit_code,criterion_code,self_score,appraised_score,not_applicable\n"
    for unit_type in ("agency", "commune"):
        criteria.import_criteria(
            actor=None, content=SMALL.encode(), filename="nho.csv", year=2025, unit_type=unit_type
        )
    return import_scores(
        actor=cast["reform_admin"],
        organiser=cast["province"],
        year=2025,
        content=(header + rows).encode(),
        filename="2025.csv",
    )


def test_past_year_import_ranks_only_the_units_in_the_file(cast):
    old = _old_unit(cast, "Sở Tư pháp cũ", "88.STP")
    past = _import_2025(
        cast, "88.STP,1.1,6,3,0\n88.STP,1.2,2,2,0\n88.STP,1.3,2,2,0\n99.SNV,1.1,6,6,0\n99.SNV,1.3,,,1\n"
    )
    assert past.phase == Phase.PUBLISHED and past.imported
    results = {result.unit: result for result in Result.objects.filter(campaign=past)}
    assert set(results) == {old, cast["home_affairs"]}
    assert results[old].index == Decimal(70)
    # 99.SNV: 6 + 0 (1.2 not in the file) + 2 (1.3 not applicable, awarded in full) of 10
    assert results[cast["home_affairs"]].index == Decimal(80)
    assert (results[cast["home_affairs"]].rank, results[old].rank) == (1, 2)


def test_bad_score_rows_refuse_the_import(cast):
    _old_unit(cast, "Sở Tư pháp cũ", "88.STP")
    with pytest.raises(ImportRefused) as refused:
        _import_2025(cast, "88.STP,1.1,6,7,0\n88.STP,9.9,1,1,0\n88.STP,1.2,1,1,có lẽ\n")
    assert [problem[:2] for problem in refused.value.rows] == [
        (2, "appraised_score"),
        (3, "criterion_code"),
        (4, "not_applicable"),
    ]
    assert not Campaign.objects.filter(year=2025).exists()


def test_last_year_through_lineage(cast):
    """Sở Tư pháp continues one old unit (a rename) and the ward merged two: ranks follow a single line."""
    old_justice = _old_unit(cast, "Sở Tư pháp cũ", "88.STP")
    first, second = _old_unit(cast, "Sở A cũ", "88.A"), _old_unit(cast, "Sở B cũ", "88.B")
    _import_2025(
        cast,
        "88.STP,1.1,6,5,0\n88.STP,1.2,2,2,0\n88.STP,1.3,2,2,0\n"  # 90 %, rank 1
        "88.A,1.1,6,2,0\n88.A,1.2,2,2,0\n88.A,1.3,2,2,0\n"  # 60 %, rank 3
        "88.B,1.1,6,4,0\n88.B,1.2,2,2,0\n88.B,1.3,2,2,0\n",  # 80 %, rank 2
    )
    effective = datetime.date(2026, 1, 1)
    unit_services.add_lineage(
        actor=None,
        predecessor=old_justice,
        successor=cast["justice"],
        relation="rename",
        effective_date=effective,
    )
    for old in (first, second):
        unit_services.add_lineage(
            actor=None,
            predecessor=old,
            successor=cast["home_affairs"],
            relation="merge",
            effective_date=effective,
        )
    campaign = move_to(small_campaign(cast), Phase.APPRAISAL, None)
    appraise(campaign, cast["justice"], {"1.1": 6, "1.2": 2, "1.3": 2})
    appraise(campaign, cast["home_affairs"], {"1.1": 3, "1.2": 2, "1.3": 2})
    results = {result.unit: result for result in unit_results(campaign, "agency")}
    justice, home_affairs = results[cast["justice"]], results[cast["home_affairs"]]
    assert (justice.previous_rank, justice.rank, justice.rank_change) == (1, 1, 0)
    assert justice.index_change == Decimal("10.00")
    assert home_affairs.previous_index == Decimal(70)  # the mean of 60 and 80, weights 1 and 1
    assert home_affairs.previous_rank is None
    assert "Sở A cũ" in home_affairs.previous_note and "Sở B cũ" in home_affairs.previous_note


def test_results_command_prints_the_issue_format(cast, capsys):
    campaign = move_to(small_campaign(cast), Phase.APPRAISAL, None)
    appraise(campaign, cast["justice"], {"1.1": 6, "1.2": 2, "1.3": 1})
    call_command("parindex", "results", "--year", "2026", "--unit-type", "agency", "--json")
    rows = json.loads(capsys.readouterr().out)
    justice = next(row for row in rows if row["unit_code"] == "99.STP")
    assert {key: justice[key] for key in ("score", "max", "index", "rank", "band")} == {
        "score": "9.00",
        "max": "10.00",
        "index": "90.00",
        "rank": 1,
        "band": "Xuất sắc",
    }
    assert {row["unit_code"] for row in rows} == {"99.STP", "99.SNV"}


def test_bands_are_set_per_year_and_locked_by_publication(cast, capsys):
    call_command("parindex", "bands", "--year", "2026", "--set", "A=90", "B=80", "C=0")
    assert "B: ≥ 80" in capsys.readouterr().out
    campaign = move_to(small_campaign(cast), Phase.APPRAISAL, None)  # loads the default bands again
    appraise(campaign, cast["justice"], {"1.1": 6, "1.2": 2, "1.3": 1})
    bands.set_bands(
        actor=None,
        year=2026,
        bands=[{"label": "Nhóm A", "min_index": "85"}, {"label": "Nhóm B", "min_index": "0"}],
    )
    assert next(r for r in unit_results(campaign, "agency") if r.unit == cast["justice"]).band == "Nhóm A"
    move_to(campaign, Phase.PUBLISHED, None)
    with pytest.raises(ValidationError):
        bands.set_bands(actor=None, year=2026, bands=[{"label": "X", "min_index": "0"}])
    assert Result.objects.get(campaign=campaign, unit=cast["justice"]).band == "Nhóm A"
