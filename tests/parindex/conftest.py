"""PAR Index fixtures: the default criteria sets, a campaign for the test province, a justice leader."""

import datetime

import pytest

from cchc.accounts.models import Role
from cchc.parindex.models import Phase
from cchc.parindex.services import campaigns, criteria
from tests.conftest import _person

YEAR = 2026


@pytest.fixture
def criteria_sets(cast):
    """The shipped sets for agencies and communes, loaded for the test year."""
    return {
        unit_type: criteria.load_default_set(actor=cast["reform_admin"], year=YEAR, unit_type=unit_type)
        for unit_type in ("agency", "commune")
    }


@pytest.fixture
def justice_leader(justice):
    return _person("stp.lanhdao", "Đỗ Văn Giám Đốc", (justice, Role.LEADER))


@pytest.fixture
def campaign(cast, criteria_sets):
    """This year's campaign, still in preparation, with far-off deadlines."""
    far = datetime.date(2099, 12, 31)
    return campaigns.create_campaign(
        actor=cast["reform_admin"],
        organiser=cast["province"],
        year=YEAR,
        deadlines={
            field: far
            for field in (
                "self_assessment_until",
                "appraisal_until",
                "explanation_until",
                "second_appraisal_until",
                "finalisation_until",
            )
        },
    )


def move_to(campaign, phase, actor):
    """Advance the campaign until it reaches `phase`."""
    while campaign.phase != phase:
        campaign = campaigns.advance_phase(actor=actor, campaign=campaign, decision_number="123/QĐ-UBND")
    return campaign


@pytest.fixture
def self_assessing(campaign, cast):
    return move_to(campaign, Phase.SELF_ASSESSMENT, cast["reform_admin"])


def self_assess_all(assessment, actor):
    """Every leaf the unit scores itself filled with a passing answer (full points, done, the top tier)."""
    from cchc.parindex.services import items as item_services

    for item in assessment.items.select_related("criterion"):
        method = item.criterion.method
        if method in ("metric", "survey"):
            continue
        reported = {
            "manual": str(item.criterion.max_points),
            "yes_no": "có",
            "rate": "100",
            "deduction": "0",
            "bonus": "0",
            "penalty": "0",
        }.get(method) or item.criterion.tiers[0]["label"]
        item_services.self_assess(actor=actor, item=item, reported=reported, note="Theo báo cáo")
