"""The one-stop rules, dossier by dossier: due dates, outcome, supplements, pending deadlines, apologies.

Every expected value is computed by hand from the calendar of the civil service:

- 01/01/2026 is a holiday and 02/01/2026 (Friday) was swapped for Saturday 10/01/2026, which is a
  working day; Tết 2026 closes the offices from Saturday 14/02 to Sunday 22/02.
- HT-01 has 5 working days, HT-02 3 calendar days, DD-01 15 working days, CT-01 4 hours.
- Offices close at 17:00 (the default of onestop.office_close); a computed due date ends then.

A dossier of HT-01 received on Monday 05/01/2026 at 09:00 is due on Saturday 10/01/2026 at 17:00
(06, 07, 08, 09 and the make-up Saturday 10): most of the tests below lean on that dossier.
"""

import datetime
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
import pytest

from cchc.core.settings_store import set_setting
from cchc.onestop import services
from cchc.onestop.ingest import rules
from cchc.onestop.models import Dossier, Outcome
from cchc.workdays.calendar import FIRST_YEAR, LAST_YEAR
from tests.onestop.conftest import dossier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(*parts: int) -> datetime.datetime:
    """An instant written in Vietnamese local time."""
    return datetime.datetime(*parts, tzinfo=VN)


def one(import_dossiers, **fields) -> Dossier:
    """Import one dossier D1 (HT-01 at Xã Tây, received Mon 05/01/2026 09:00 unless told) and read it back."""
    result = import_dossiers([dossier("D1", **fields)])
    assert result.applied, result.errors
    return Dossier.objects.get(code="D1")


# -- due dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("procedure", "received", "due"),
    [
        # Working days: counted from the day after receipt, weekends and holidays skipped.
        ("HT-01", "2026-02-13 10:00", vn(2026, 2, 27, 17)),  # Fri before Tết: 23, 24, 25, 26, 27/02
        ("HT-01", "2026-01-05 09:00", vn(2026, 1, 10, 17)),  # the make-up Saturday 10/01 counts
        ("HT-01", "2025-12-31 09:00", vn(2026, 1, 9, 17)),  # 01/01 holiday, 02/01 swapped off: 05–09/01
        ("HT-01", "2026-01-04 09:00", vn(2026, 1, 9, 17)),  # received on a Sunday: 05–09/01
        ("HT-01", "2026-01-06 16:30", vn(2026, 1, 12, 17)),  # no cut-off configured: the time is irrelevant
        ("DD-01", "2026-01-15 09:00", vn(2026, 2, 5, 17)),  # 15 working days: 16/01 … 05/02
        # Calendar days: the result moves to the next working day when offices are closed.
        ("HT-02", "2026-01-05 09:00", vn(2026, 1, 8, 17)),  # Thu 08/01
        ("HT-02", "2026-01-07 09:00", vn(2026, 1, 10, 17)),  # Sat 10/01 is a working day
        ("HT-02", "2026-01-08 09:00", vn(2026, 1, 12, 17)),  # Sun 11/01 → Mon 12/01
        ("HT-02", "2026-02-13 09:00", vn(2026, 2, 23, 17)),  # Mon 16/02 is Tết → Mon 23/02
        ("HT-02", "2025-12-30 09:00", vn(2026, 1, 5, 17)),  # Fri 02/01 swapped off → Mon 05/01
        # Hours: clock hours from the moment of receipt (office hours and days off play no part).
        ("CT-01", "2026-01-05 09:00", vn(2026, 1, 5, 13)),
        ("CT-01", "2026-01-09 15:00", vn(2026, 1, 9, 19)),
        ("CT-01", "2026-01-03 10:00", vn(2026, 1, 3, 14)),  # a Saturday off
    ],
)
def test_due_date_is_computed_from_the_procedures_time_limit(import_dossiers, procedure, received, due):
    row = one(import_dossiers, procedure=procedure, received=received)
    assert row.due_at == due
    assert row.due_computed is True


@pytest.mark.parametrize(
    ("procedure", "received", "due"),
    [
        ("HT-01", "2026-01-05 15:00", vn(2026, 1, 10, 17)),  # at the cut-off: still that day
        ("HT-01", "2026-01-05 15:01", vn(2026, 1, 12, 17)),  # after it: counting starts on Tue 06/01
        ("HT-01", "2026-01-09 16:00", vn(2026, 1, 16, 17)),  # Fri after 15:00: from Sat 10/01 → 12–16/01
        # The cut-off applies to working days only (choice): calendar days and hours ignore it.
        ("HT-02", "2026-01-05 16:00", vn(2026, 1, 8, 17)),
        ("CT-01", "2026-01-05 16:00", vn(2026, 1, 5, 20)),
    ],
)
def test_receipt_after_the_cut_off_starts_counting_on_the_next_working_day(
    import_dossiers, procedure, received, due
):
    set_setting(actor=None, key="onestop.receipt_cutoff", value="15:00")
    assert one(import_dossiers, procedure=procedure, received=received).due_at == due


def test_a_computed_due_date_ends_when_the_office_closes(import_dossiers):
    set_setting(actor=None, key="onestop.office_close", value="16:30")
    assert one(import_dossiers).due_at == vn(2026, 1, 10, 16, 30)


def test_a_due_date_sent_by_the_source_system_is_kept(import_dossiers):
    row = one(import_dossiers, due_at="15/01/2026 10:00")
    assert row.due_at == vn(2026, 1, 15, 10)
    assert row.due_computed is False


def test_a_due_date_without_a_time_lasts_until_the_end_of_that_day(import_dossiers):
    assert one(import_dossiers, due_at="15/01/2026").due_at == vn(2026, 1, 15, 23, 59, 59)


def test_without_a_due_date_the_procedure_must_have_a_time_limit(import_dossiers):
    services.import_procedures(
        [
            {
                "code": "XX-01",
                "name": "Không thời hạn",
                "field": "Khác",
                "time_limit": "",
                "time_unit": "",
                "online": "",
            }
        ],
        actor=None,
    )
    result = import_dossiers(
        [dossier("D1", procedure="XX-01"), dossier("D2", procedure="XX-01", due_at="2026-01-20")]
    )
    assert [(row, column) for row, column, _message in result.errors] == [(1, "due_at")]
    assert not Dossier.objects.exists()


# -- outcome of a finished dossier -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("finished", "outcome"),
    [
        ("2026-01-09 16:00", Outcome.EARLY),  # a day before the due date
        ("2026-01-10 08:00", Outcome.ON_TIME),  # on the due date, before the office closes
        ("2026-01-10 17:00", Outcome.ON_TIME),  # at the very moment the office closes
        ("2026-01-10 17:01", Outcome.LATE),  # after it
        ("2026-01-12 08:00", Outcome.LATE),
    ],
)
def test_outcome_is_early_before_the_due_date_on_time_on_it_and_late_after_it(
    import_dossiers, finished, outcome
):
    assert one(import_dossiers, finished_at=finished).outcome == outcome


@pytest.mark.parametrize(
    ("due", "finished", "outcome"),
    [
        ("2026-01-10", "2026-01-10 20:00", Outcome.ON_TIME),  # a due date without time lasts all day
        ("2026-01-10 10:00", "2026-01-10 11:00", Outcome.LATE),  # rule 2.1: on time ⇔ end ≤ NgayHenTra
        ("2026-01-10 10:00", "2026-01-10 09:00", Outcome.ON_TIME),
        ("2026-01-10 10:00", "2026-01-09 23:00", Outcome.EARLY),
    ],
)
def test_outcome_against_a_due_date_sent_by_the_source(import_dossiers, due, finished, outcome):
    assert one(import_dossiers, due_at=due, finished_at=finished).outcome == outcome


def test_a_pending_dossier_has_no_outcome(import_dossiers):
    row = one(import_dossiers)
    assert row.outcome is None
    assert row.overdue_from == vn(2026, 1, 10, 17)


# -- supplements -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("supplements", "finished", "outcome"),
    [
        # Two days with the citizen: finishing Mon 12/01 16:00 counts as Sat 10/01 16:00.
        ('[["2026-01-06 09:00", "2026-01-08 09:00"]]', "2026-01-12 16:00", Outcome.ON_TIME),
        ('[["2026-01-06 09:00", "2026-01-08 09:00"]]', "2026-01-12 17:30", Outcome.LATE),
        # Three days: Mon 12/01 16:00 counts as Fri 09/01 16:00.
        ('[["2026-01-06 09:00", "2026-01-09 09:00"]]', "2026-01-12 16:00", Outcome.EARLY),
        # Without the supplement the same end would be late.
        ("", "2026-01-12 16:00", Outcome.LATE),
    ],
)
def test_the_citizens_supplement_time_is_subtracted(import_dossiers, supplements, finished, outcome):
    assert one(import_dossiers, supplements=supplements, finished_at=finished).outcome == outcome


def test_more_than_one_supplement_request_is_late_however_fast(import_dossiers):
    row = one(
        import_dossiers,
        supplements='[["2026-01-06 09:00", "2026-01-06 10:00"], ["2026-01-07 09:00", "2026-01-07 10:00"]]',
        finished_at="2026-01-07 11:00",
    )
    assert row.supplement_count == 2
    assert row.outcome == Outcome.LATE


def test_finished_with_a_request_still_open_the_clock_stopped_at_the_request(import_dossiers):
    # Rule 2.1: with a single request, its time is the end of processing.
    row = one(
        import_dossiers,
        supplements='[["2026-01-08 09:00", null]]',
        finished_at="2026-01-20 10:00",
        status="8",
    )
    assert row.outcome == Outcome.EARLY


def test_an_open_supplement_request_stops_the_clock_of_a_pending_dossier(import_dossiers):
    row = one(import_dossiers, supplements='[["2026-01-08 09:00", null]]')
    assert row.overdue_from is None  # never past its deadline while the citizen has the dossier


def test_a_request_made_once_the_dossier_was_overdue_does_not_stop_the_clock(import_dossiers):
    row = one(import_dossiers, supplements='[["2026-01-12 09:00", null]]')
    assert row.overdue_from == vn(2026, 1, 10, 17)


def test_a_completed_supplement_moves_the_deadline_of_a_pending_dossier(import_dossiers):
    row = one(import_dossiers, supplements='[["2026-01-06 09:00", "2026-01-08 09:00"]]')
    assert row.overdue_from == vn(2026, 1, 12, 17)  # two days (clock time) after Sat 10/01 17:00


def test_a_pending_dossier_with_a_second_request_is_overdue_from_that_request(import_dossiers):
    # Choice: "more than one request ⇒ late" makes a pending dossier overdue at the second request.
    row = one(
        import_dossiers, supplements='[["2026-01-06 09:00", "2026-01-06 10:00"], ["2026-01-07 09:00", null]]'
    )
    assert row.overdue_from == vn(2026, 1, 7, 9)


# -- apology letters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("apology", "rescheduled", "valid"),
    [
        ("2026-01-09 16:00", "2026-01-15", True),  # on the working day before the due date (Sat 10/01)
        ("2026-01-07 09:00", "2026-01-15 10:00", True),
        ("2026-01-10 08:00", "2026-01-15", False),  # on the due date itself: too late
        ("2026-01-12 08:00", "2026-01-15", False),  # after the due date
        ("2026-01-08 09:00", "", False),  # no new date
        ("2026-01-08 09:00", "2026-01-10 12:00", False),  # a "new" date before the old one
        ("2026-01-08 09:00", "2026-01-10", False),  # the same day is not a new date
        ("", "2026-01-15", False),  # no letter
    ],
)
def test_an_apology_is_valid_a_working_day_before_the_due_date_with_a_new_date(
    import_dossiers, apology, rescheduled, valid
):
    row = one(
        import_dossiers, apology_at=apology, rescheduled_due_at=rescheduled, finished_at="2026-01-14 10:00"
    )
    assert row.apology_valid is valid


def test_the_apology_notice_is_a_setting(import_dossiers):
    """Due Sat 10/01 (a make-up day); with two working days of notice Fri 09/01 is late, Thu 08/01 not."""
    from cchc.core.settings_store import set_setting

    set_setting(actor=None, key="onestop.apology_notice_working_days", value=2)
    friday = one(import_dossiers, apology_at="2026-01-09 16:00", rescheduled_due_at="2026-01-15")
    assert friday.apology_valid is False
    thursday = one(import_dossiers, apology_at="2026-01-08 16:00", rescheduled_due_at="2026-01-15")
    assert thursday.apology_valid is True


def test_the_working_day_before_a_monday_due_date_may_be_a_make_up_saturday(import_dossiers):
    # Received Tue 06/01: due Mon 12/01; the working day before it is Sat 10/01, so Sun 11/01 is late.
    in_time = one(
        import_dossiers,
        received="2026-01-06 09:00",
        apology_at="2026-01-10 11:00",
        rescheduled_due_at="2026-01-16",
    )
    assert in_time.due_at == vn(2026, 1, 12, 17)
    assert in_time.apology_valid is True
    too_late = one(
        import_dossiers,
        received="2026-01-06 09:00",
        apology_at="2026-01-11 11:00",
        rescheduled_due_at="2026-01-16",
    )
    assert too_late.apology_valid is False


def test_an_apology_does_not_cure_lateness(import_dossiers):
    # Finished before the new date but after the original one: still late (domain.md §4.5).
    row = one(
        import_dossiers,
        apology_at="2026-01-08 09:00",
        rescheduled_due_at="2026-01-15",
        finished_at="2026-01-14 10:00",
    )
    assert row.outcome == Outcome.LATE
    assert row.apology_valid is True
    assert row.due_at == vn(2026, 1, 10, 17)  # the original due date is kept
    assert row.rescheduled_due_at == vn(2026, 1, 15, 23, 59, 59)


def test_the_fixed_offset_gives_the_vietnamese_day_and_month_of_every_instant_the_rules_see():
    """rules reads local time as UTC plus seven hours: the zone's own rules, over the calendar's years."""
    rng = np.random.default_rng(766)
    first = datetime.datetime(FIRST_YEAR, 1, 1, tzinfo=datetime.UTC) - datetime.timedelta(hours=7)
    last = datetime.datetime(LAST_YEAR, 12, 31, 23, 59, 59, tzinfo=datetime.UTC)
    span = int((last - first).total_seconds() * 1_000_000)
    random = rng.integers(0, span, 200_000)
    # and the microseconds on each side of every local midnight of a few hundred days
    midnights = (rng.integers(0, span // 86_400_000_000, 500) * 86_400 + 17 * 3600) * 1_000_000
    offsets = np.concatenate([random, midnights - 1, midnights, midnights + 1])
    start = int(first.timestamp() * 1_000_000)
    frame = pl.DataFrame({"at": pl.Series(start + offsets).cast(pl.Datetime("us", "UTC"))})
    zone = pl.col("at").dt.convert_time_zone("Asia/Ho_Chi_Minh")
    got = frame.select(
        day=rules.local_date(pl.col("at")),
        month=rules.month_of(pl.col("at")),
        zone_day=zone.dt.date(),
        zone_month=zone.dt.truncate("1mo").dt.date(),
    )
    assert got["day"].to_list() == got["zone_day"].to_list()
    assert got["month"].to_list() == got["zone_month"].to_list()
