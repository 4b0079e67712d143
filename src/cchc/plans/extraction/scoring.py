"""Scoring the extractor against a hand annotation (the format of shared/seeds/gold.json).

A found target matches an annotated one when comparator, value and unit are equal; matching is one to
one within a document, so two annotated "100 %" targets need two found ones. An area matches when its
title is the same up to case, spacing and end punctuation.
"""

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cchc.plans.extraction.model import ExtractedPlan


@dataclass
class Score:
    """Counts of one comparison; precision, recall and F1 follow from them."""

    found: int = 0
    expected: int = 0
    matched: int = 0

    def __add__(self, other: "Score") -> "Score":
        return Score(self.found + other.found, self.expected + other.expected, self.matched + other.matched)

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "found": self.found,
            "expected": self.expected,
            "matched": self.matched,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def target_key(comparator: str, value: Any, unit: str) -> tuple[str, Decimal, str]:
    return comparator, Decimal(str(value)).normalize(), unit


def _matched(found: Counter[Any], expected: Counter[Any]) -> int:
    return sum((found & expected).values())


def score_targets(plan: ExtractedPlan, gold_targets: list[dict[str, Any]]) -> Score:
    found = Counter(target_key(t.comparator, t.value, t.unit) for t in plan.targets)
    expected = Counter(target_key(t["comparator"], t["value"], t["unit"]) for t in gold_targets)
    return Score(sum(found.values()), sum(expected.values()), _matched(found, expected))


def area_key(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip(" .,:;").casefold()


def score_areas(plan: ExtractedPlan, gold_areas: list[str]) -> Score:
    found = Counter(area_key(area.title) for area in plan.areas)
    expected = Counter(area_key(title) for title in gold_areas)
    return Score(sum(found.values()), sum(expected.values()), _matched(found, expected))
