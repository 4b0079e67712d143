import datetime
import pytest
from cchc.onestop.models import Dossier, UnitMonthRollup, FieldMonthRollup
from cchc.onestop import services
from tests.onestop.conftest import dossier

pytestmark = pytest.mark.django_db

def test_smoke(cast, import_dossiers):
    recs = [
        dossier("A1", finished_at="2026-01-09 10:00", status="10", channel="2", rating="satisfied"),
        dossier("A2", finished_at="2026-01-20 10:00", status="9", apology_at="2026-01-08 08:00", rescheduled_due_at="2026-01-20"),
        dossier("A3", unit="99001", procedure="DD-01", received="2026-01-10 09:00"),
        dossier("A4", received="2026-02-02 09:00", supplements='[["2026-02-03 09:00", "2026-02-06 09:00"]]', finished_at="2026-02-11 16:00"),
    ]
    r = import_dossiers(recs)
    print(r)
    assert r.applied
    for d in Dossier.objects.order_by("code"):
        print(d.code, d.due_at, d.outcome, d.overdue_from, d.apology_valid, d.received_month, d.finished_month, d.overdue_month)
    print(services.check_rollups())
    r2 = import_dossiers(recs)
    print(r2)
    assert r2.unchanged == 4
    print(list(UnitMonthRollup.objects.values("unit_id","month","received","finished","finished_late","overdue_in","overdue_out")))
    assert services.check_rollups()["field_rows"] == 0

def test_stats(cast, import_dossiers):
    from cchc.onestop.queries import unit_stats, dossiers_behind
    from cchc.core.periods import Period
    recs = [
        dossier("A1", finished_at="2026-01-09 10:00", status="10", channel="2", rating="satisfied"),
        dossier("A2", finished_at="2026-01-20 10:00", status="9", apology_at="2026-01-08 08:00", rescheduled_due_at="2026-01-20"),
        dossier("A3", unit="99001", procedure="DD-01", received="2026-01-10 09:00"),
    ]
    import_dossiers(recs)
    s = unit_stats(cast["province"], Period.parse("2026-01"))
    print(s.as_dict())
    s = unit_stats(cast["province"], Period.parse("2026-02"))
    print(s.as_dict())
    for m in ("received","pending","pending_overdue","finished_late"):
        print(m, dossiers_behind(cast["province"], Period.parse("2026-02"), m).count())
