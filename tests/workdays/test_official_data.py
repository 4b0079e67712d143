"""The overrides shipped for 2023–2026, their legal bases, and the package's days they complete."""

import datetime

import pytest
from django.apps import apps as django_apps

from cchc.core.models import AuditEntry
from cchc.workdays import calendar, official
from cchc.workdays.models import CalendarOverride

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("official_data")]

D = datetime.date

SHIPPED = {
    (D(2024, 5, 4), "working", "2450/VPCP-KGVX", D(2024, 4, 12), True),
    (D(2025, 4, 26), "working", "8726/VPCP-KGVX", D(2024, 11, 26), False),
    (D(2026, 1, 2), "day_off", "12729/VPCP-KGVX", D(2025, 12, 25), False),
    (D(2026, 1, 10), "working", "12729/VPCP-KGVX", D(2025, 12, 25), False),
    (D(2026, 8, 22), "working", "9441 (ký hiệu chưa xác minh)", D(2025, 10, 16), False),
}


def test_exactly_the_researched_overrides_are_shipped_with_their_legal_bases():
    rows = CalendarOverride.objects.filter(date__year__range=(2023, 2026)).select_related("legal_basis")
    assert {
        (row.date, row.kind, row.legal_basis.number, row.legal_basis.issued_on, row.legal_basis.verified)
        for row in rows
    } == SHIPPED


def test_2023_needed_no_override():
    assert not CalendarOverride.objects.filter(date__year=2023).exists()


def test_unverified_references_say_what_is_unverified():
    for row in CalendarOverride.objects.select_related("legal_basis"):
        if not row.legal_basis.verified:
            assert "chưa" in row.legal_basis.note, f"{row.legal_basis} should explain what is not verified"


@pytest.mark.parametrize("row", sorted(SHIPPED), ids=lambda row: f"{row[0]:%Y-%m-%d}")
def test_every_shipped_override_changes_its_day(row):
    """Otherwise the row would be redundant, and the services would refuse to save it again."""
    day, kind, *_ = row
    assert calendar.is_base_working_day(day) == (kind == "day_off")


def test_the_package_already_has_the_other_swapped_days_off():
    for day in (D(2024, 4, 29), D(2025, 5, 2), D(2026, 8, 31)):
        assert day in calendar.statutory_holidays(day.year)


def test_the_package_lacks_the_new_year_2026_swap_which_is_why_it_is_shipped():
    assert D(2026, 1, 2) not in calendar.statutory_holidays(2026), (
        "the holidays package now has 02/01/2026: the shipped day_off override has become redundant"
    )


def test_the_package_matches_domain_notes_for_2026():
    statutory = calendar.statutory_holidays(2026)
    assert {D(2026, 2, day) for day in range(16, 21)} <= statutory  # Tết, Monday to Friday
    assert {
        D(2026, 4, 27),
        D(2026, 4, 30),
        D(2026, 5, 1),
        D(2026, 9, 1),
        D(2026, 9, 2),
        D(2026, 11, 24),
    } <= statutory


def test_installing_again_adds_nothing():
    count = CalendarOverride.objects.count()
    assert official.install(django_apps) == 0
    assert CalendarOverride.objects.count() == count


def test_each_shipped_override_has_a_history_from_the_start():
    for row in CalendarOverride.objects.all():
        entry = AuditEntry.objects.for_object(row).get(action="calendar_override.create")
        assert entry.actor is None
        assert entry.after["date"] == row.date.isoformat()
