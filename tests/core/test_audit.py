"""The audit trail: written with every change, in the same transaction, and never edited."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from cchc.core import audit
from cchc.core.models import AuditEntry
from cchc.units.models import Unit, UnitType
from cchc.units.services import units as unit_services

pytestmark = pytest.mark.django_db


def test_creating_a_unit_records_who_what_and_after(province, reform_admin):
    unit = unit_services.create_unit(
        actor=reform_admin, name="Sở Xây dựng", type=UnitType.AGENCY, code="99.SXD", parent=province
    )
    entry = AuditEntry.objects.for_object(unit).get()
    assert entry.actor == reform_admin
    assert entry.actor_label == "Nguyễn Thị Quản Trị (snv.admin)"
    assert entry.action == "unit.create"
    assert entry.unit == unit
    assert entry.before is None
    assert entry.after["name"] == "Sở Xây dựng"
    assert entry.after["parent"] == province.pk


def test_update_records_before_and_after_and_reason(justice, reform_admin):
    unit_services.update_unit(
        actor=reform_admin, unit=justice, valid_to=datetime.date(2026, 12, 31), reason="Sáp nhập"
    )
    entry = AuditEntry.objects.for_object(justice).filter(action="unit.update").get()
    assert entry.before["valid_to"] is None
    assert entry.after["valid_to"] == "2026-12-31"
    assert entry.reason == "Sáp nhập"
    assert entry.changed_fields() == [("valid_to", None, "2026-12-31")]


def test_a_refused_change_leaves_neither_change_nor_entry(justice, reform_admin):
    entries_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        unit_services.update_unit(actor=reform_admin, unit=justice, valid_to=datetime.date(2020, 1, 1))
    justice.refresh_from_db()
    assert justice.valid_to is None
    assert AuditEntry.objects.count() == entries_before


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused(province):
    with pytest.raises(RuntimeError):
        audit.record(actor=None, action="x", obj=province)


def test_entries_cannot_be_changed_or_deleted_through_the_orm(province):
    entry = AuditEntry.objects.for_object(province).get()
    entry.action = "forged"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.filter(pk=entry.pk).update(action="forged")
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "unit.create"


def test_the_database_refuses_an_update_even_in_raw_sql(province):
    entry = AuditEntry.objects.for_object(province).get()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET action = 'forged' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "unit.create"


def test_snapshot_keeps_dates_and_decimals_readable(province):
    province.valid_to = datetime.date(2030, 1, 31)
    values = audit.snapshot(province, ["valid_from", "valid_to", "parent"])
    assert values == {"valid_from": "2025-07-01", "valid_to": "2030-01-31", "parent": None}


def test_audit_page_lists_and_filters_by_unit(client, cast):
    client.force_login(cast["reform_admin"])
    response = client.get(reverse("core:audit"), {"unit": cast["justice"].pk, "include_below": "on"})
    assert response.status_code == 200
    names = {entry.object_repr for entry in response.context["page"].object_list}
    assert any("Sở Tư pháp" in name for name in names)
    assert any("Phòng Hành chính tư pháp" in name for name in names)
    assert not any("Xã Tây" in name for name in names)


def test_audit_page_filters_by_date_and_rejects_reversed_range(client, cast):
    client.force_login(cast["reform_admin"])
    response = client.get(reverse("core:audit"), {"date_from": "01/01/2000", "date_to": "31/12/2000"})
    assert list(response.context["page"].object_list) == []
    response = client.get(reverse("core:audit"), {"date_from": "02/01/2026", "date_to": "01/01/2026"})
    assert "Ngày kết thúc trước ngày bắt đầu" in response.content.decode()


def test_audit_page_shows_only_the_users_units(client, cast):
    client.force_login(cast["commune_officer"])
    response = client.get(reverse("core:audit"))
    units = {entry.unit_id for entry in response.context["page"].object_list}
    assert cast["west_commune"].pk in units
    assert cast["justice"].pk not in units
    assert cast["province"].pk not in units


def test_object_history_page_shows_the_objects_entries(client, cast):
    justice = cast["justice"]
    unit_services.update_unit(actor=cast["reform_admin"], unit=justice, name="Sở Tư pháp tỉnh")
    client.force_login(cast["justice_focal"])
    page = client.get(reverse("units:detail", args=[justice.pk])).content.decode()
    history_url = f"/audit/{AuditEntry.objects.for_object(justice).first().object_type_id}/{justice.pk}/"
    assert history_url in page
    response = client.get(history_url)
    assert response.status_code == 200
    assert [entry.action for entry in response.context["entries"]] == ["unit.update", "unit.create"]


def test_object_history_of_another_units_object_is_not_found(client, cast):
    client.force_login(cast["commune_officer"])
    entry = AuditEntry.objects.for_object(cast["justice"]).first()
    response = client.get(reverse("core:history", args=[entry.object_type_id, entry.object_id]))
    assert response.status_code == 404


def test_units_are_never_deleted_while_audited(province):
    with pytest.raises(Exception):  # noqa: B017 - PROTECT raises ProtectedError, a subclass of IntegrityError
        Unit.objects.filter(pk=province.pk).delete()
    assert Unit.objects.filter(pk=province.pk).exists()


def test_snapshot_of_an_empty_and_a_stored_file(cast):
    from django.core.files.base import ContentFile

    from cchc.plans.models import TaskUpdate
    from cchc.plans.services import plans as plan_services
    from cchc.plans.services import tasks as task_services

    plan = plan_services.create_plan(actor=None, issuing_unit=cast["justice"], title="KH", year_from=2026)
    task = task_services.add_task(
        actor=None, plan=plan, text="NV", lead_unit=cast["justice"], deadline_kind="recurring"
    )
    update = TaskUpdate(
        task=task, reported_by=cast["justice_focal"], status="in_progress", progress=5, narrative="x"
    )
    assert audit.snapshot(update, ["evidence"]) == {"evidence": None}
    update.evidence.save("minh-chung.pdf", ContentFile(b"%PDF-1.4"), save=False)
    assert audit.snapshot(update, ["evidence"])["evidence"].endswith(".pdf")
