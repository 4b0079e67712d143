"""The QĐ 766 service index computed from imported dossiers (domain.md §3.3)."""

import copy
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from cchc.core import metrics
from cchc.core.metrics import Ratio
from cchc.core.periods import Period
from cchc.onestop.models import OfficialIndexScore
from cchc.onestop.queries import index as service_index
from cchc.onestop.queries.index import definition, index_report, parse_definition, points
from tests.onestop.conftest import dossier

pytestmark = pytest.mark.django_db

JANUARY = Period.parse("2026-01")


def january_dossiers():
    """Ten HT-01 dossiers of Xã Tây received on Monday 05/01/2026 (due five working days later).

    D01–D09 finished early on 07/01, D10 late on 20/01. Digitized: D01–D09 (90 %). Submitted online:
    D01–D04 (40 %). Paid online: D01–D05 (50 %). Electronic result: D01–D03 (30 %). Rated: D01 not
    satisfied, D02–D06 satisfied.
    """
    records = []
    for number in range(1, 11):
        late = number == 10
        extra = {
            "status": "10",
            "finished_at": "2026-01-20 10:00" if late else "2026-01-07 10:00",
            "digitized": "1" if number <= 9 else "0",
            "channel": "2" if number <= 4 else "1",
            "paid_online": "1" if number <= 5 else "0",
            "e_result": "1" if number <= 3 else "0",
        }
        if number == 1:
            extra["rating"] = "unsatisfied"
        elif number <= 6:
            extra["rating"] = "satisfied"
        records.append(dossier(f"D{number:02d}", **extra))
    return records


@pytest.fixture
def january(cast, import_dossiers):
    result = import_dossiers(january_dossiers())
    assert result.applied, result.errors
    return cast


def indicators(report):
    return {item["code"]: item for group in report["groups"] for item in group["indicators"]}


def groups(report):
    return {group["code"]: group for group in report["groups"]}


# -- the definition -------------------------------------------------------------------------------


def test_definition_has_six_groups_totalling_100():
    spec = definition()
    assert [(group.code, group.max) for group in spec.groups] == [
        ("CKMB", 18),
        ("TDGQ", 20),
        ("CLGQ", 12),
        ("TTTT", 10),
        ("MDSH", 22),
        ("MDHL", 18),
    ]
    assert spec.total_max == 100
    assert spec.legal_basis["qd-766-2022"]["verified"] is True
    assert spec.legal_basis["portal-766"]["verified"] is False
    sources = {i.code: i.source for group in spec.groups for i in group.indicators}
    assert sources["2.1"] == {"rate": "on_time_rate"}
    assert sources["5.4"] == {"computed": "service_satisfaction"}
    assert sources["5.2"] == {"metric": "surveys.feedback_on_time"}
    assert sources["5.3"] == {"metric": "surveys.feedback_satisfied"}
    for code in ("1.1", "1.2", "1.3", "1.4", "3.5", "3.5b", "4.3", "4.4", "4.5a", "4.5b"):
        assert sources[code] is None, code


def test_definition_is_checked():
    data = json.loads(service_index.DATA_FILE.read_text(encoding="utf-8"))
    broken = copy.deepcopy(data)
    broken["groups"][1]["indicators"][0]["max"] = 19
    with pytest.raises(ValueError, match="TDGQ"):
        parse_definition(broken)
    broken = copy.deepcopy(data)
    broken["groups"][1]["indicators"][0]["source"] = {"rate": "no_such_rate"}
    with pytest.raises(ValueError, match="no_such_rate"):
        parse_definition(broken)


# -- the formula ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "maximum", "threshold", "expected"),
    [
        ("90", "4", "80", "4.00"),  # threshold reached: full points
        ("80", "4", "80", "4.00"),  # exactly at the threshold
        ("40", "2", "80", "1.00"),  # below: R / T × Pmax
        ("80", "6", "90", "5.33"),  # 5.333… rounded half up
        ("90", "20", None, "18.00"),  # linear: R × Pmax / 100
        ("33.33", "6", None, "2.00"),  # 1.9998 rounded
        ("0", "6", None, "0.00"),
    ],
)
def test_points(rate, maximum, threshold, expected):
    assert points(Decimal(rate), Decimal(maximum), threshold and Decimal(threshold)) == Decimal(expected)


def test_index_from_dossiers(january):
    report = index_report(january["west_commune"], JANUARY)
    found = indicators(report)
    # Linear: 9 of 10 on time → 90 % of 20 points.
    assert found["2.1"].items() >= {"rate": 90.0, "score": 18.0, "numerator": 9, "denominator": 10}.items()
    assert found["3"]["rate"] == 40.0 and found["3"]["score"] == 4.8
    assert found["3.6"]["rate"] == 50.0 and found["3.6"]["score"] == 3.0
    assert found["4.1"]["rate"] == 30.0 and found["4.1"]["score"] == 1.8
    # Threshold reached: 90 % digitized ≥ 80 % → all 4 points.
    assert found["4.2"]["rate"] == 90.0 and found["4.2"]["score"] == 4.0
    assert found["4.2"]["threshold"] == 80
    # Below the threshold: 100 − (10 % late + 10 % not satisfied) = 80 % < 90 % → 80 / 90 × 6.
    assert found["5.4"].items() >= {"rate": 80.0, "score": 5.33, "numerator": 8, "denominator": 10}.items()
    assert found["5.4"]["source"] == "computed:service_satisfaction"
    # No data source: null, never 0.
    assert (
        found["1.1"].items() >= {"rate": None, "score": None, "numerator": None, "denominator": None}.items()
    )

    by_group = groups(report)
    assert by_group["CKMB"]["score"] is None and by_group["CKMB"]["max_available"] == 0
    assert by_group["TDGQ"]["score"] == 18.0 and by_group["TDGQ"]["max_available"] == 20
    assert by_group["TTTT"]["score"] == 3.0 and by_group["TTTT"]["max_available"] == 6
    assert by_group["MDSH"]["score"] == 5.8 and by_group["MDSH"]["max_available"] == 10
    assert by_group["MDHL"]["score"] == 5.33 and by_group["MDHL"]["max_available"] == 6
    # The total adds the groups that have a score; its maximum only theirs.
    assert report["total"] == 36.93
    assert report["max_available"] == 54
    assert report["max"] == 100
    assert report["unit_code"] == "99002" and report["period"] == "2026-01"
    assert report["official_total"] is None and report["total_difference"] is None


def test_province_adds_its_units(january):
    report = index_report(january["province"], JANUARY)
    assert report["unit_code"] == "99"
    assert report["total"] == 36.93
    assert indicators(report)["2.1"]["denominator"] == 10


def test_no_dossiers_gives_no_score(january):
    report = index_report(january["west_commune"], Period.parse("2026-03"))
    assert all(item["rate"] is None and item["score"] is None for item in indicators(report).values())
    assert all(group["score"] is None for group in report["groups"])
    assert report["total"] is None
    assert report["max_available"] == 0
    other = index_report(january["east_ward"], JANUARY)
    assert other["total"] is None


def test_quarter_adds_its_months(january, import_dossiers):
    result = import_dossiers(
        [dossier("F01", received="2026-02-02 09:00", finished_at="2026-02-03 10:00", status="10")]
    )
    assert result.applied, result.errors
    found = indicators(index_report(january["west_commune"], Period.parse("2026-Q1")))
    assert found["2.1"]["numerator"] == 10 and found["2.1"]["denominator"] == 11
    assert found["2.1"]["rate"] == 90.91 and found["2.1"]["score"] == 18.18


def test_difference_with_official_scores(january):
    unit = january["west_commune"]
    for code, score in (("2.1", "19.50"), ("TDGQ", "19.50"), ("MDHL", None), ("TOTAL", "40.00")):
        OfficialIndexScore.objects.create(
            unit=unit, period="2026-01", code=code, score=None if score is None else Decimal(score)
        )
    OfficialIndexScore.objects.create(unit=unit, period="2026-02", code="TOTAL", score=Decimal("99"))
    report = index_report(unit, JANUARY)
    found = indicators(report)
    assert found["2.1"]["official"] == 19.5 and found["2.1"]["difference"] == -1.5
    assert found["4.2"]["official"] is None and found["4.2"]["difference"] is None
    by_group = groups(report)
    assert by_group["TDGQ"]["official"] == 19.5 and by_group["TDGQ"]["difference"] == -1.5
    assert by_group["MDHL"]["official"] is None and by_group["MDHL"]["difference"] is None
    assert report["official_total"] == 40.0
    assert report["total_difference"] == -3.07


def test_metric_source_is_read_from_the_registry(january, monkeypatch):
    """An indicator whose source is a published metric (the coming PAKN module) takes it when registered."""
    data = json.loads(service_index.DATA_FILE.read_text(encoding="utf-8"))
    data["groups"][5]["indicators"][0]["source"] = {"metric": "test.feedback_on_time"}
    monkeypatch.setattr(service_index, "definition", lambda: parse_definition(data))
    unit = january["west_commune"]

    assert indicators(index_report(unit, JANUARY))["5.2"]["score"] is None  # not registered: no data

    def feedback_on_time(units, period):
        return {unit.pk: Ratio(Decimal(3), Decimal(4)) for unit in units}

    monkeypatch.setitem(
        metrics._REGISTRY,
        "test.feedback_on_time",
        metrics.Metric("test.feedback_on_time", "PAKN on time", "%", feedback_on_time),
    )
    report = index_report(unit, JANUARY)
    found = indicators(report)["5.2"]
    assert (
        found.items()
        >= {
            "rate": 75.0,
            "score": 4.5,
            "numerator": 3,
            "denominator": 4,
            "source": "metric:test.feedback_on_time",
        }.items()
    )
    assert groups(report)["MDHL"]["score"] == 9.83 and groups(report)["MDHL"]["max_available"] == 12


def test_command_prints_the_index_as_json(january):
    OfficialIndexScore.objects.create(
        unit=january["province"], period="2026-01", code="TOTAL", score=Decimal("37")
    )
    out = io.StringIO()
    call_command("onestop", "index", "--unit", "99", "--period", "2026-01", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["unit_code"] == "99" and data["period"] == "2026-01"
    assert data["total"] == 36.93 and data["max_available"] == 54
    assert data["official_total"] == 37.0 and data["total_difference"] == -0.07
    assert [group["code"] for group in data["groups"]] == ["CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL"]


def test_command_prints_a_summary(january):
    out = io.StringIO()
    call_command("onestop", "index", "--unit", "99002", "--period", "2026-01", stdout=out)
    assert "99002 Tháng 1/2026: tổng 36.93 / 54" in out.getvalue()
