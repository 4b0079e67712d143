"""The scoring used by bench/extraction_score.py: one-to-one matching on comparator, value and unit."""

from decimal import Decimal

import pytest

from cchc.plans.extraction import ExtractedPlan, Target
from cchc.plans.extraction.model import Area
from cchc.plans.extraction.scoring import Score, score_areas, score_targets


def target(comparator: str, value: str, unit: str = "%") -> Target:
    return Target(text="", comparator=comparator, value=Decimal(value), unit=unit)


def test_duplicates_match_one_to_one():
    plan = ExtractedPlan(targets=[target("=", "100"), target("=", "100"), target(">", "30")])
    gold = [
        {"comparator": "=", "value": 100, "unit": "%"},
        {"comparator": "=", "value": 100, "unit": "%"},
        {"comparator": "=", "value": 100, "unit": "%"},
        {"comparator": ">=", "value": 30, "unit": "%"},
    ]
    score = score_targets(plan, gold)
    assert (score.found, score.expected, score.matched) == (3, 4, 2)
    assert score.precision == pytest.approx(2 / 3)
    assert score.recall == pytest.approx(2 / 4)
    assert score.f1 == pytest.approx(2 * (2 / 3) * (2 / 4) / (2 / 3 + 2 / 4))


def test_values_match_across_notations():
    plan = ExtractedPlan(targets=[target(">=", "98.50"), target(">", "12500", "tỷ đồng")])
    gold = [
        {"comparator": ">=", "value": 98.5, "unit": "%"},
        {"comparator": ">", "value": 12500, "unit": "tỷ đồng"},
    ]
    assert score_targets(plan, gold).matched == 2


def test_areas_match_up_to_case_spacing_and_end_punctuation():
    plan = ExtractedPlan(
        areas=[Area("CẢI CÁCH  THỂ CHẾ:", "institutions"), Area("Cải cách công vụ", "civil_service")]
    )
    score = score_areas(plan, ["Cải cách thể chế", "Cải cách tài chính công"])
    assert (score.found, score.expected, score.matched) == (2, 2, 1)


def test_an_empty_document_scores_perfectly_when_nothing_is_expected_and_nothing_found():
    assert Score().f1 == 1.0
    assert (Score() + Score(found=2, expected=1, matched=1)).as_json()["precision"] == 0.5
