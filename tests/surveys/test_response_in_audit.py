"""A survey form is named in the audit trail by its number, never by the respondent's receipt code."""

import datetime

from cchc.core.models import AuditEntry
from cchc.surveys.services import sipas
from tests.surveys.conftest import satisfied_answers


def test_the_audit_trail_does_not_show_the_receipt_code(cast, sipas_campaign):
    response = sipas.enter_response(
        actor=cast["reform_admin"],
        campaign=sipas_campaign,
        unit=cast["west_commune"],
        answers=satisfied_answers(4),
        channel="paper",
        answered_on=datetime.date(2026, 3, 2),
    )
    entries = AuditEntry.objects.for_object(response)
    assert entries.exists()
    for entry in entries:
        assert response.receipt_code not in entry.object_repr
        assert response.receipt_code not in str(entry.after or "")
        assert entry.object_repr == f"Phiếu khảo sát số {response.pk}"
