"""The monthly rollups stay equal to a recomputation from the dossiers, however the dossiers change."""

import datetime
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.core.periods import Period
from cchc.onestop import services
from cchc.onestop.models import Dossier, FieldMonthRollup, Procedure, UnitMonthRollup
from cchc.onestop.queries import children_of, stats_for_units, unit_stats
from tests.onestop.conftest import dossier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

JAN, FEB, MAR = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)
COUNTS = (
    "received",
    "finished",
    "finished_early",
    "finished_on_time",
    "finished_late",
    "overdue_in",
    "overdue_out",
)


def consistent() -> bool:
    differences = services.check_rollups()
    return differences["field_rows"] == 0 and differences["unit_rows"] == 0


def by_month(unit) -> dict[datetime.date, dict[str, int]]:
    rows = UnitMonthRollup.objects.filter(unit=unit).values("month", *COUNTS)
    return {row.pop("month"): row for row in rows}


def imported(import_dossiers, records):
    result = import_dossiers(records)
    assert result.applied, result.errors
    return result


def test_rollups_after_an_import_equal_a_rebuild(import_dossiers, west_commune):
    imported(
        import_dossiers,
        [
            dossier("A", finished_at="2026-01-08 10:00", status="10"),
            dossier("B", unit="99001", procedure="DD-01"),
            dossier("C", procedure="CT-01", received="2026-02-02 09:00", finished_at="2026-02-02 15:00"),
        ],
    )
    differences = services.check_rollups()
    assert (differences["field_rows"], differences["unit_rows"]) == (0, 0)
    assert differences["checked_field_rows"] > 0 and differences["checked_unit_rows"] > 0
    stored = sorted(UnitMonthRollup.objects.values_list("unit_id", "month", *COUNTS))
    assert services.rebuild_rollups(actor=None)["unit_rows"] == len(stored)
    assert sorted(UnitMonthRollup.objects.values_list("unit_id", "month", *COUNTS)) == stored


def test_an_update_moves_the_figures_between_months(import_dossiers, west_commune, east_ward, province):
    imported(import_dossiers, [dossier("A", finished_at="2026-01-08 10:00", status="10"), dossier("B")])
    assert by_month(west_commune)[JAN]["received"] == 2
    assert by_month(west_commune)[JAN]["finished"] == 1

    # A now finishes in February; B moves to Phường Đông and to a February receipt.
    result = imported(
        import_dossiers,
        [
            dossier("A", finished_at="2026-02-03 10:00", status="10"),
            dossier("B", unit="99001", received="2026-02-02 09:00"),
        ],
    )
    assert (result.created, result.updated, result.unchanged) == (0, 2, 0)
    west, east = by_month(west_commune), by_month(east_ward)
    assert (west[JAN]["received"], west[JAN]["finished"], west[JAN]["overdue_in"]) == (1, 0, 1)  # A due 10/01
    assert (west[FEB]["finished"], west[FEB]["finished_late"], west[FEB]["overdue_out"]) == (1, 1, 1)
    assert FEB in east and east[FEB]["received"] == 1 and JAN not in east
    assert consistent()
    january = unit_stats(province, Period.parse("2026-01"))
    assert (january["received"], january["finished"], january["pending"], january["pending_overdue"]) == (
        1,
        0,
        1,
        1,
    )


def test_a_rollup_row_left_at_zero_disappears(import_dossiers, west_commune):
    imported(import_dossiers, [dossier("A", received="2026-01-05 09:00", finished_at="2026-01-06 10:00")])
    imported(import_dossiers, [dossier("A", received="2026-03-02 09:00", finished_at="2026-03-03 10:00")])
    assert set(by_month(west_commune)) == {MAR}
    assert not FieldMonthRollup.objects.filter(month=JAN).exists()
    assert consistent()


def test_a_pending_dossier_overdue_across_month_ends(import_dossiers, west_commune):
    # Received Mon 19/01: due Mon 26/01 17:00; still pending at the end of January and of February.
    imported(import_dossiers, [dossier("A", received="2026-01-19 09:00")])
    assert by_month(west_commune)[JAN]["overdue_in"] == 1
    imported(import_dossiers, [dossier("A", received="2026-01-19 09:00", finished_at="2026-03-04 10:00")])
    months = by_month(west_commune)
    assert (months[JAN]["overdue_in"], months[MAR]["overdue_out"], months[MAR]["finished_late"]) == (1, 1, 1)
    for period, overdue in (("2026-01", 1), ("2026-02", 1), ("2026-03", 0)):
        assert unit_stats(west_commune, Period.parse(period))["pending_overdue"] == overdue
    assert consistent()


def test_a_dossier_overdue_and_finished_in_the_same_month_never_counts_as_pending(
    import_dossiers, west_commune
):
    imported(import_dossiers, [dossier("A", received="2026-01-05 09:00", finished_at="2026-01-20 10:00")])
    assert by_month(west_commune)[JAN]["overdue_in"] == 0
    assert unit_stats(west_commune, Period.parse("2026-01"))["pending"] == 0


def test_after_a_procedure_changes_field_a_rebuild_puts_the_rollups_right(import_dossiers, reform_admin):
    imported(import_dossiers, [dossier("A"), dossier("B", procedure="HT-02")])
    assert set(FieldMonthRollup.objects.values_list("field", flat=True)) == {"Hộ tịch"}
    Procedure.objects.filter(code="HT-02").update(field="Chứng thực")
    assert services.check_rollups()["field_rows"] > 0
    rows = services.rebuild_rollups(actor=reform_admin)
    assert rows["field_rows"] == FieldMonthRollup.objects.count() > 0
    assert consistent()
    assert set(FieldMonthRollup.objects.values_list("field", flat=True)) == {"Hộ tịch", "Chứng thực"}


def test_importing_a_procedure_that_changes_field_or_fees_recounts_the_rollups(import_dossiers, reform_admin):
    from tests.onestop.conftest import PROCEDURES

    imported(import_dossiers, [dossier("A"), dossier("B", procedure="HT-02")])
    moved = [
        dict(row, field="Chứng thực", has_fee="1") if row["code"] == "HT-02" else row for row in PROCEDURES
    ]
    result = services.import_procedures(moved, actor=reform_admin)
    assert (result.updated, result.unchanged) == (1, 3)
    assert consistent()
    assert set(FieldMonthRollup.objects.values_list("field", flat=True)) == {"Hộ tịch", "Chứng thực"}
    renamed = [dict(row, name="Tên mới") if row["code"] == "HT-01" else row for row in moved]
    assert services.import_procedures(renamed, actor=reform_admin).updated == 1
    assert consistent()


def test_a_month_left_without_counts_keeps_the_stock_brought_forward(import_dossiers, west_commune, province):
    # A stays pending from January; B, the only dossier of February, moves to March. February then
    # has no counts of its own, but A is still pending (and overdue) at its end.
    imported(import_dossiers, [dossier("A"), dossier("B", received="2026-02-05 09:00")])
    imported(import_dossiers, [dossier("B", received="2026-03-05 09:00")])
    assert consistent()
    for unit in (west_commune, province):
        february = UnitMonthRollup.objects.get(unit=unit, month=FEB)
        assert (february.received, february.pending, february.pending_overdue) == (0, 1, 1)


def test_only_administrators_rebuild(justice_focal):
    with pytest.raises(services.ImportRefused):
        services.rebuild_rollups(actor=justice_focal)


# -- property: any small set of valid dossiers -----------------------------------------------------


def _at(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


@st.composite
def valid_dossier(draw, code: str) -> dict[str, object]:
    received = draw(st.datetimes(datetime.datetime(2025, 12, 1), datetime.datetime(2026, 3, 31, 23, 59)))
    received = received.replace(second=0, microsecond=0)
    after = lambda start, days: start + datetime.timedelta(minutes=draw(st.integers(0, days * 24 * 60)))  # noqa: E731
    record = dossier(
        code,
        unit=draw(st.sampled_from(["99001", "99002", "99.STP.HCTP"])),
        procedure=draw(st.sampled_from(["HT-01", "HT-02", "DD-01", "CT-01"])),
        received=_at(received),
        channel=draw(st.sampled_from(["1", "2", "3", ""])),
        digitized=draw(st.sampled_from(["", "1"])),
    )
    supplements, moment = [], received
    for _ in range(draw(st.integers(0, 2))):
        requested = after(moment, 10)
        completed = draw(st.none() | st.just(after(requested, 10)))
        supplements.append([_at(requested), None if completed is None else _at(completed)])
        if completed is None:
            break
        moment = completed
    record["supplements"] = json.dumps(supplements)
    if draw(st.booleans()):
        record["finished_at"] = _at(after(moment, 40))
        record["status"] = draw(st.sampled_from(["7", "8", "9", "10"]))
    else:
        record["status"] = draw(st.sampled_from(["", "2", "4", "5", "1", "3"]))
    if draw(st.booleans()):
        record["apology_at"] = _at(after(received, 15))
        record["rescheduled_due_at"] = draw(st.sampled_from(["", _at(after(received, 30))]))
    return record


@st.composite
def dossier_sets(draw) -> list[dict[str, object]]:
    codes = draw(st.lists(st.sampled_from([f"H{n}" for n in range(10)]), min_size=1, max_size=6, unique=True))
    return [draw(valid_dossier(code)) for code in codes]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=dossier_sets())
def test_any_import_keeps_the_rollups_equal_to_a_rebuild(import_dossiers, province, records):
    # Examples share the database, so later ones also update the dossiers of earlier ones.
    imported(import_dossiers, records)
    assert consistent()
    for row in UnitMonthRollup.objects.all():
        assert row.finished_early + row.finished_on_time + row.finished_late == row.finished
    children = children_of(province, datetime.date(2026, 1, 1))
    for period in ("2025-12", "2026-01", "2026-Q1", "2026"):
        stats = stats_for_units([province, *children], Period.parse(period))
        ours = stats[province.pk]
        assert ours["finished_early"] + ours["finished_on_time"] + ours["finished_late"] == ours["finished"]
        assert 0 <= ours["pending_overdue"] <= ours["pending"]
        for name in ("received", "finished", "pending", "pending_overdue"):
            assert ours[name] == sum(stats[child.pk][name] for child in children)
    counted = Dossier.objects.filter(counted=True)
    assert (
        unit_stats(province, Period.parse("2026"))["received"]
        + unit_stats(province, Period.parse("2025"))["received"]
        == counted.count()
    )
