"""Accepting the remaining scores never overwrites an adjustment another appraiser saved meanwhile."""

from decimal import Decimal

from cchc.parindex.models import Phase
from cchc.parindex.services import items as item_services
from tests.parindex.conftest import move_to, self_assess_all


def test_an_adjustment_saved_while_accepting_the_rest_is_kept(
    self_assessing, cast, justice_leader, monkeypatch
):
    campaign = self_assessing
    assessment = campaign.assessments.get(unit=cast["justice"])
    self_assess_all(assessment, cast["justice_focal"])
    manual = list(assessment.items.filter(criterion__method="manual").select_related("criterion")[:2])
    item_services.submit_assessment(actor=justice_leader, assessment=assessment)
    move_to(campaign, Phase.APPRAISAL, cast["reform_admin"])
    first, second = manual
    real_appraise = item_services.appraise_item
    adjusted = []

    def another_appraiser_adjusts_first(**kwargs):
        # While the first accept is being saved, a colleague adjusts the other item of the list.
        if not adjusted:
            target = second if kwargs["item"].pk != second.pk else first
            adjusted.append(
                real_appraise(
                    actor=cast["reform_admin"], item=target, accept=False, score="0", reason="Thiếu"
                )
            )
        return real_appraise(**kwargs)

    monkeypatch.setattr(item_services, "appraise_item", another_appraiser_adjusts_first)
    item_services.accept_remaining(actor=cast["reform_admin"], assessment=assessment)
    kept = adjusted[0]
    kept.refresh_from_db()
    assert kept.appraised_score == Decimal("0")
    assert kept.appraisal_reason == "Thiếu"
