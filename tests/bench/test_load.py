"""`cchc bench load`: the bench's generator filling an existing province (the load test's data)."""

import pytest
from django.core.management import call_command

from cchc.onestop import services
from cchc.onestop.models import Dossier
from cchc.units.models import Unit
from tests.onestop.conftest import PROCEDURES

pytestmark = pytest.mark.django_db


def test_generated_dossiers_go_to_the_provinces_own_units_and_procedures(cast, capsys):
    assert services.import_procedures(PROCEDURES, actor=None).applied
    call_command("bench", "load", "--rows", "600", "--seed", "7")

    dossiers = Dossier.objects.select_related("unit", "procedure")
    assert dossiers.count() == 600
    assert all(dossier.code.startswith("LOAD7-") for dossier in dossiers)
    province_units = set(Unit.objects.subtree(cast["province"]).values_list("pk", flat=True))
    assert {dossier.unit_id for dossier in dossiers} <= province_units - {cast["province"].pk}
    assert {dossier.procedure.code for dossier in dossiers} <= {row["code"] for row in PROCEDURES}
    first_receipt = min(dossier.received_at for dossier in dossiers).date()
    assert first_receipt >= min(unit.valid_from for unit in Unit.objects.subtree(cast["province"]))
    check = services.check_rollups()
    assert (check["field_rows"], check["unit_rows"]) == (0, 0)  # the dashboards read consistent rollups

    call_command("bench", "load", "--rows", "600", "--seed", "7")  # the same seed: the same dossiers
    assert Dossier.objects.count() == 600
