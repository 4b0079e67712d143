"""The change log as people read it: action phrases, field labels, choice labels and unit names in
place of the stored codes, local dd/mm/yyyy times, and one query per related model for a whole page."""

import re

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.accounts.models import Role
from cchc.accounts.services import grant_role
from cchc.core.models import AuditEntry
from cchc.surveys.models import Feedback
from cchc.surveys.services import feedback as services

SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T")


def _receive(cast, title="Chậm trả kết quả hộ tịch"):
    return services.receive_feedback(
        actor=cast["reform_admin"],
        organiser=cast["province"],
        unit=None,
        kind="procedure",
        title=title,
        content="Hồ sơ khai sinh nộp đã lâu chưa có kết quả.",
        consent_to_publish=False,
        channel="staff",
    )


def _table(response) -> str:
    html = response.content.decode()
    start = html.index('<table class="table table-sm table-history">')
    return html[start : html.index("</table>", start)]


def _history_url(feedback: Feedback) -> str:
    content_type = ContentType.objects.get_for_model(Feedback)
    return reverse("core:history", args=[content_type.pk, feedback.pk])


def test_a_routed_feedback_reads_in_vietnamese_with_the_unit_name(cast, reform_client):
    feedback = _receive(cast)
    services.route_feedback(actor=cast["reform_admin"], feedback=feedback, unit=cast["west_commune"])
    entry = AuditEntry.objects.for_object(feedback).get(action="feedback.route")
    assert entry.after["unit"] == cast["west_commune"].pk  # the stored row keeps its machine form

    table = _table(reform_client.get(_history_url(feedback)))

    assert "Chuyển phản ánh, kiến nghị đến đơn vị xử lý" in table  # the action as a phrase
    assert "feedback.route" not in table and "feedback.receive" not in table
    assert cast["west_commune"].name in table
    assert f'→\n            <span class="diff-after">{cast["west_commune"].pk}</span>' not in table
    assert "∅" not in table and "(trống)" in table
    assert not ISO_TIME.search(table)
    assert not SNAKE.search(re.sub(r"<[^>]+>", " ", table)), SNAKE.findall(re.sub(r"<[^>]+>", " ", table))
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", table)


def test_status_and_field_names_are_the_models_labels(cast, reform_client):
    feedback = _receive(cast)
    services.route_feedback(actor=cast["reform_admin"], feedback=feedback, unit=cast["west_commune"])

    table = _table(reform_client.get(_history_url(feedback)))

    status = Feedback._meta.get_field("status")
    unit = Feedback._meta.get_field("unit")
    labels = dict(status.flatchoices)
    assert str(labels["routed"]) in table
    assert ">routed<" not in table
    assert str(unit.verbose_name).capitalize() in table


def test_the_audit_list_does_not_query_per_row(cast, reform_client):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = reform_client.get(reverse("core:audit"))
        assert response.status_code == 200
        return len(queries)

    first = _receive(cast, title="Một")
    services.route_feedback(actor=cast["reform_admin"], feedback=first, unit=cast["west_commune"])
    count_queries()  # the first request fills the caches (content types, session)
    few = count_queries()
    for title in ("Hai", "Ba", "Bốn", "Năm"):
        feedback = _receive(cast, title=title)
        services.route_feedback(actor=cast["reform_admin"], feedback=feedback, unit=cast["east_ward"])
    assert count_queries() == few


def test_a_role_recorded_on_the_user_reads_as_the_assignments_fields(cast, reform_client):
    officer = cast["commune_officer"]
    grant_role(actor=cast["reform_admin"], user=officer, unit=cast["east_ward"], role=Role.LEADER)
    content_type = ContentType.objects.get_for_model(officer)
    table = _table(reform_client.get(reverse("core:history", args=[content_type.pk, officer.pk])))
    assert str(Role.LEADER.label) in table and cast["east_ward"].name in table
    assert ">leader<" not in table and f">{cast['east_ward'].pk}<" not in table
