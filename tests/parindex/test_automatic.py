"""Automatic criteria read the one-stop and plan modules, and say where each number came from."""

from decimal import Decimal

import pytest

from cchc.parindex.models import Item, Phase
from cchc.parindex.services import items
from tests.onestop.conftest import dossier, import_dossiers, procedures  # noqa: F401 (fixtures)
from tests.parindex.conftest import move_to

pytestmark = pytest.mark.usefixtures("english")


def _on_time_item(campaign, unit):
    return Item.objects.select_related("criterion").get(
        assessment__campaign=campaign, assessment__unit=unit, criterion__metric="onestop.on_time_rate"
    )


def test_the_dossier_on_time_rate_scores_the_commune(campaign, cast, import_dossiers):  # noqa: F811
    # Four dossiers of Xã Tây finished in 2026: three on time, one late (due 5 working days after receipt).
    records = [
        dossier("A1", finished_at="2026-01-06 10:00", status="10"),
        dossier("A2", finished_at="2026-01-07 10:00", status="10"),
        dossier("A3", finished_at="2026-01-08 10:00", status="10"),
        dossier("A4", finished_at="2026-02-20 10:00", status="10"),
    ]
    assert import_dossiers(records).applied
    campaign = move_to(campaign, Phase.SELF_ASSESSMENT, cast["reform_admin"])
    item = _on_time_item(campaign, cast["west_commune"])
    leaf = item.criterion
    assert item.auto_value == Decimal("75.0000")
    expected = leaf.max_points * Decimal(75) / (leaf.threshold or Decimal(100))
    assert item.self_score == expected.quantize(Decimal("0.01"))
    assert "3 / 4" in item.auto_source and "Dossiers resolved early or on time" in item.auto_source
    assert "onestop.on_time_rate" not in item.auto_source  # the label, not the key
    # A unit without dossiers has no measured value and no automatic points: no data is not zero.
    quiet = _on_time_item(campaign, cast["east_ward"])
    assert quiet.auto_value is None and quiet.self_score is None
    assert "no data" in quiet.auto_source


def test_new_data_is_read_again_on_request_and_audited(campaign, cast, import_dossiers):  # noqa: F811
    campaign = move_to(campaign, Phase.SELF_ASSESSMENT, cast["reform_admin"])
    assert _on_time_item(campaign, cast["west_commune"]).auto_value is None
    assert import_dossiers([dossier("B1", finished_at="2026-01-06 10:00", status="10")]).applied
    changed = items.refresh_automatic(actor=cast["reform_admin"], campaign=campaign)
    assert changed >= 1
    item = _on_time_item(campaign, cast["west_commune"])
    assert item.auto_value == Decimal("100.0000")
    assert item.self_score == item.criterion.max_points
    from cchc.core.models import AuditEntry

    entry = AuditEntry.objects.filter(action="par_item.measure", object_id=str(item.pk)).latest("pk")
    assert entry.after["auto_value"] == "100.0000"
