"""The batch API tells a unit nothing about a dossier code held by another unit: the refusal names no
unit and does not say the dossier belongs elsewhere, and it reads the same whoever holds the code."""

import pytest

from cchc.onestop.models import Dossier
from tests.onestop.conftest import dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def held_elsewhere(cast, import_dossiers):
    """J-1 held by Sở Tư pháp, E-1 by Phường Đông; the commune officer of Xã Tây reaches neither."""
    result = import_dossiers([dossier("J-1", unit="99.STP", procedure="HT-02"), dossier("E-1", unit="99001")])
    assert result.applied, result.errors


def _refusal(api, code):
    response = api.post("/api/v1/dossiers/batch/", [dossier(code)], format="json", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    return response.json()


def test_the_refusal_says_nothing_of_who_holds_the_code(cast, held_elsewhere, api):
    api.force_authenticate(cast["commune_officer"])
    agency, ward = _refusal(api, "J-1"), _refusal(api, "E-1")
    # The same answer, word for word but the code the caller sent, whichever unit holds it.
    assert str(agency).replace("J-1", "X") == str(ward).replace("E-1", "X")
    [error] = agency["errors"]
    assert error["column"] == "dossier_code"
    for trace in ("Sở Tư pháp", "99.STP", "thuộc", "đơn vị khác", "belongs"):
        assert trace not in str(agency)
    assert Dossier.objects.get(code="J-1").unit == cast["justice"]
    assert not Dossier.objects.filter(unit=cast["west_commune"]).exists()
