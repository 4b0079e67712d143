"""Changing overrides: who may, what is refused, and the audit trail written with each change."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from cchc.core.models import AuditEntry, LegalDocument
from cchc.workdays import services
from cchc.workdays.calendar import is_working_day
from cchc.workdays.models import CalendarOverride

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("official_data")]

D = datetime.date
FRIDAY = D(2026, 3, 6)
SATURDAY = D(2026, 3, 7)


@pytest.fixture
def decision():
    return LegalDocument.objects.create(number="15/QĐ-UBND", issued_on=D(2026, 3, 1), issuer="UBND tỉnh")


def state():
    """Everything a refused change must leave as it was."""
    return (
        list(
            CalendarOverride.objects.order_by("pk").values_list(
                "pk", "date", "kind", "name", "legal_basis", "note"
            )
        ),
        AuditEntry.objects.count(),
    )


def test_an_administrator_adds_a_day_off_with_its_legal_basis(reform_admin, decision):
    override = services.add_override(
        actor=reform_admin, date=FRIDAY, kind="day_off", name=" Nghỉ do bão ", legal_basis=decision, note="x"
    )
    assert override.name == "Nghỉ do bão"
    assert not is_working_day(FRIDAY)
    entry = AuditEntry.objects.for_object(override).get()
    assert entry.action == "calendar_override.create"
    assert entry.actor == reform_admin
    assert entry.before is None
    assert entry.after == {
        "date": "2026-03-06",
        "kind": "day_off",
        "name": "Nghỉ do bão",
        "legal_basis": decision.pk,
        "note": "x",
    }


def test_an_update_records_before_and_after(reform_admin):
    override = CalendarOverride.objects.get(date=D(2026, 8, 22))
    services.update_override(
        actor=reform_admin, override=override, name="Làm bù (sửa tên)", reason="Chính tả"
    )
    entry = AuditEntry.objects.for_object(override).get(action="calendar_override.update")
    assert entry.before["name"] == "Làm bù cho thứ Hai 31/08/2026 (nghỉ lễ Quốc khánh 2026)"
    assert entry.after["name"] == "Làm bù (sửa tên)"
    assert entry.reason == "Chính tả"
    assert entry.changed_fields() == [("name", entry.before["name"], "Làm bù (sửa tên)")]


def test_an_update_that_changes_nothing_writes_nothing(reform_admin):
    override = CalendarOverride.objects.get(date=D(2026, 8, 22))
    before = state()
    services.update_override(actor=reform_admin, override=override, name=override.name)
    assert state() == before


def test_moving_an_override_to_another_date(reform_admin):
    override = services.add_override(actor=reform_admin, date=FRIDAY, kind="day_off", name="Nghỉ")
    services.update_override(actor=reform_admin, override=override, date=D(2026, 3, 5))
    assert is_working_day(FRIDAY)
    assert not is_working_day(D(2026, 3, 5))


def test_deleting_records_what_was_there(reform_admin):
    override = CalendarOverride.objects.get(date=D(2026, 8, 22))
    pk = override.pk
    services.delete_override(actor=reform_admin, override=override, reason="Nhập nhầm")
    assert not CalendarOverride.objects.filter(pk=pk).exists()
    assert not is_working_day(D(2026, 8, 22))
    entry = AuditEntry.objects.filter(object_id=str(pk), action="calendar_override.delete").get()
    assert entry.before["kind"] == "working"
    assert entry.after is None
    assert entry.reason == "Nhập nhầm"


def test_the_system_may_change_the_calendar():
    override = services.add_override(actor=None, date=FRIDAY, kind="day_off", name="Nghỉ")
    assert AuditEntry.objects.for_object(override).get().actor_label == "hệ thống"


class TestRefusals:
    """Each refusal leaves the overrides and the audit trail exactly as they were."""

    @pytest.fixture(autouse=True)
    def in_english(self):
        """Refusals are matched on their English message ids; the page tests check the Vietnamese text."""
        with translation.override("en"):
            yield

    def test_a_focal_point_may_not_add_change_or_delete(self, justice_focal):
        override = CalendarOverride.objects.get(date=D(2026, 8, 22))
        before = state()
        with pytest.raises(PermissionDenied):
            services.add_override(actor=justice_focal, date=FRIDAY, kind="day_off", name="Nghỉ")
        with pytest.raises(PermissionDenied):
            services.update_override(actor=justice_focal, override=override, name="Khác")
        with pytest.raises(PermissionDenied):
            services.delete_override(actor=justice_focal, override=override)
        assert state() == before

    def test_a_provincial_viewer_may_not_either(self, leader):
        with pytest.raises(PermissionDenied):
            services.add_override(actor=leader, date=FRIDAY, kind="day_off", name="Nghỉ")

    @pytest.mark.parametrize(
        ("day", "kind", "message"),
        [
            (FRIDAY, "working", "already a working day"),  # an ordinary Friday
            (SATURDAY, "day_off", "already a day off"),  # a weekend
            (D(2026, 9, 2), "day_off", "already a day off"),  # National Day
            (D(2026, 2, 16), "working", None),  # Tết is a holiday on a Monday: opening it is allowed
        ],
    )
    def test_an_override_must_change_its_day(self, reform_admin, day, kind, message):
        before = state()
        if message is None:
            services.add_override(actor=reform_admin, date=day, kind=kind, name="Thử")
            assert is_working_day(day)
            return
        with pytest.raises(ValidationError, match=message) as caught:
            services.add_override(actor=reform_admin, date=day, kind=kind, name="Thử")
        assert "kind" in caught.value.message_dict
        assert state() == before

    def test_one_override_per_date(self, reform_admin):
        before = state()
        with pytest.raises(ValidationError, match="already has an override") as caught:
            services.add_override(actor=reform_admin, date=D(2026, 1, 2), kind="day_off", name="Trùng")
        assert "date" in caught.value.message_dict
        assert state() == before

    def test_a_failed_update_leaves_the_row_as_it_was(self, reform_admin):
        override = CalendarOverride.objects.get(date=D(2026, 8, 22))
        before = state()
        with pytest.raises(ValidationError, match="already a day off"):
            # A Saturday is already off: turning the make-up day into a day off changes nothing.
            services.update_override(actor=reform_admin, override=override, kind="day_off", name="Đổi")
        assert state() == before
        assert is_working_day(D(2026, 8, 22))

    def test_blank_names_unknown_kinds_and_fields_are_refused(self, reform_admin):
        override = CalendarOverride.objects.get(date=D(2026, 8, 22))
        before = state()
        with pytest.raises(ValidationError, match="Give the day a name") as caught:
            services.add_override(actor=reform_admin, date=FRIDAY, kind="day_off", name="  ")
        assert "name" in caught.value.message_dict
        with pytest.raises(ValidationError, match="Unknown kind"):
            services.add_override(actor=reform_admin, date=FRIDAY, kind="holiday", name="Nghỉ")
        with pytest.raises(ValidationError, match="cannot be changed here"):
            services.update_override(actor=reform_admin, override=override, created_at=None)
        with pytest.raises(ValidationError, match="covers the years"):
            services.add_override(actor=reform_admin, date=D(2150, 1, 2), kind="day_off", name="Xa")
        assert state() == before
