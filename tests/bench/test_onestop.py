"""`cchc bench onestop` on a small file: every figure is there, the rollups agree, the data is repeatable."""

import io
import json

import polars as pl
import pytest
from django.core.management import call_command
from django.db import connection

from cchc.bench import baselines, dashboard, dossiers
from cchc.bench import onestop as bench
from cchc.onestop.models import Dossier
from cchc.workdays.calendar import get_calendar

pytestmark = pytest.mark.django_db(transaction=False)

KEYS = {
    "rows",
    "db",
    "import_rows_per_s",
    "import_baseline_rows_per_s",
    "due_dates_per_s",
    "due_dates_baseline_per_s",
    "dashboard_p50_ms",
    "dashboard_p95_ms",
    "dashboard_baseline_p95_ms",
    "rollup_rebuild_s",
    "peak_rss_mb",
    "copy_rows_per_s",
    "import_share_of_copy",
    "first_grid_p95_ms",
}


@pytest.fixture
def small(monkeypatch):
    monkeypatch.setattr(dashboard, "ROLLUP_REPEATS", 3)
    monkeypatch.setattr(baselines, "DUE_BASELINE_ROWS", 500)


def test_bench_reports_every_figure_and_consistent_rollups(small):
    log = io.StringIO()
    result = bench.run_bench(rows=3_000, seed=7, log=log)
    assert set(result) >= KEYS
    assert result["rows"] == 3_000
    assert result["import"]["created"] == 3_000 and result["import"]["error_count"] == 0
    assert result["rollups_consistent"] is True
    assert result["dashboard_answers_match"] is True
    assert set(result["dashboard_questions"]) == {"province_month_grid", "unit_ranking", "unit_trend"}
    for figures in result["dashboard_questions"].values():
        assert {"p50_ms", "p95_ms", "baseline_p95_ms"} <= set(figures)
    assert "import …" in log.getvalue()
    if connection.vendor == "postgresql":
        # The bare COPY took every row; the import, doing more, is slower than it.
        assert result["copy_rows_per_s"] > 0
        assert result["import_share_of_copy"] == round(
            result["import_rows_per_s"] / result["copy_rows_per_s"], 3
        )
        assert 0 < result["import_share_of_copy"] < 1
        with connection.cursor() as cursor:  # and left nothing behind
            cursor.execute("SELECT to_regclass('bench_bare_copy')")
            assert cursor.fetchone()[0] is None
    else:
        assert result["copy_rows_per_s"] is None and result["import_share_of_copy"] is None
    # A second run clears the bench's own dossiers first and gives the same import.
    again = bench.run_bench(rows=3_000, seed=7)
    assert again["import"] == result["import"]
    assert Dossier.objects.count() == 3_000


def test_generated_file_is_deterministic_and_realistic(tmp_path):
    from cchc.onestop.services import deadline_settings

    calendar, deadlines = get_calendar(), deadline_settings()
    first = dossiers.generate(tmp_path / "a.csv", 4_000, 11, calendar, deadlines, lambda text: None)
    second = dossiers.generate(tmp_path / "b.csv", 4_000, 11, calendar, deadlines, lambda text: None)
    other = dossiers.generate(tmp_path / "c.csv", 4_000, 12, calendar, deadlines, lambda text: None)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert (tmp_path / "a.csv").read_bytes() != (tmp_path / "c.csv").read_bytes()
    assert (first.start_days == second.start_days).all()
    assert other.rows == 4_000
    frame = pl.read_csv(tmp_path / "a.csv", infer_schema=False)
    assert frame.height == 4_000 and frame["dossier_code"].n_unique() == 4_000
    finished = frame["finished_at"].is_not_null().mean()
    online = (frame["channel"] == "2").mean()
    without_due = frame["due_at"].is_null().mean()
    assert 0.75 < finished < 0.95
    assert 0.3 < online < 0.5
    assert 0.2 < without_due < 0.4
    assert frame["supplements"].is_not_null().sum() > 0 and frame["apology_at"].is_not_null().sum() > 0


def test_the_onestop_command_hands_over_to_the_bench_command(small):
    """`cchc onestop bench` still works: it runs `cchc bench onestop` with the same options."""
    out = io.StringIO()
    call_command("onestop", "bench", "--rows", "500", "--seed", "3", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert (result["rows"], result["seed"], result["import"]["created"]) == (500, 3, 500)
    assert result["rollups_consistent"] is True
    assert Dossier.objects.count() == 500


def test_the_raw_questions_are_asked_as_often_as_told(small, monkeypatch):
    """`--raw-repeats 1`: at fifty million rows each raw GROUP BY takes minutes, so it is asked once."""
    asked = []
    grid = dashboard.grid_from_dossiers
    monkeypatch.setattr(dashboard, "grid_from_dossiers", lambda *args: asked.append(1) or grid(*args))
    monkeypatch.delenv(dashboard.RAW_REPEATS_VARIABLE, raising=False)
    call_command("bench", "onestop", "--rows", "300", "--raw-repeats", "1", "--json", stdout=io.StringIO())
    assert len(asked) == 1
    monkeypatch.setenv(dashboard.RAW_REPEATS_VARIABLE, "3")
    dashboard.dashboard(dashboard.bench_province.ensure_province())
    assert len(asked) == 4


def test_refuses_a_database_with_other_units_dossiers(cast):
    from cchc.onestop import services
    from tests.onestop.conftest import PROCEDURES, dossier

    assert services.import_procedures(PROCEDURES, actor=None).applied
    assert services.import_dossiers([dossier("REAL-1")], actor=None).applied
    with pytest.raises(bench.BenchRefused):
        bench.run_bench(rows=100, seed=1)
    assert Dossier.objects.filter(code="REAL-1").exists()
