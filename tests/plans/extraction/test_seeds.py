"""The measured score on the seed plans (kept outside the repository, in ../shared/seeds).

The seeds and their hand annotation are not part of the project; this test reads them where they
live and is skipped when they are not there.
"""

import json
from pathlib import Path

import pytest

from cchc.plans.extraction import extract, read_text
from cchc.plans.extraction.scoring import Score, score_areas, score_targets

SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def gold():
    if not (SEEDS / "gold.json").is_file():
        pytest.skip(f"no seed annotation at {SEEDS}")
    return json.loads((SEEDS / "gold.json").read_text(encoding="utf-8"))


def test_targets_reach_an_f1_of_at_least_0_9_and_areas_a_recall_of_at_least_0_9(gold):
    targets, areas = Score(), Score()
    for document in gold["documents"]:
        plan = extract(read_text(SEEDS / document["file"]))
        targets += score_targets(plan, document.get("targets", []))
        areas += score_areas(plan, document.get("areas", []))
    assert targets.expected > 0
    assert targets.f1 >= 0.9, targets.as_json()
    assert areas.recall >= 0.9, areas.as_json()
