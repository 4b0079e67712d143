"""Pages and services over a whole campaign cost a fixed number of queries, however many units it scores.

A metric published for the test with `register_many` answers for all the units in one query, so any
difference in the counts below would come from the PAR Index reading unit by unit.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.core.metrics import Ratio, register_many
from cchc.parindex.models import Item, Method, Phase
from cchc.parindex.queries.automatic import measure_many
from cchc.parindex.services import campaigns, criteria
from cchc.units.models import Unit, UnitType
from cchc.units.services import units as unit_services
from tests.parindex.conftest import move_to

pytestmark = pytest.mark.django_db

METRIC = "tests.parindex_units_counted"
CRITERIA_CSV = (
    "code,parent_code,title,max_points,method,threshold,evidence_required,not_applicable_rule,metric\n"
    "A,,Chỉ đạo điều hành,10,,,,,\n"
    "A.1,A,Kế hoạch năm,6,manual,,0,exclude,\n"
    f"A.2,A,Hồ sơ đúng hạn,4,metric,80,0,exclude,{METRIC}\n"
    "B,,Khảo sát sự hài lòng,5,,,,,\n"
    "B.1,B,Mức độ hài lòng của người dân,5,survey,,0,exclude,\n"
)
FAR = datetime.date(2099, 12, 31)


@register_many(METRIC, "Đơn vị được đếm (thử)", "%")
def _units_counted(units, period):
    """One query for all the units: 90 % for every unit that exists."""
    found = set(Unit.objects.filter(pk__in=[unit.pk for unit in units]).values_list("pk", flat=True))
    return {pk: Ratio(Decimal(9), Decimal(10)) for pk in found}


def _campaign(cast, year, extra_communes):
    for number in range(extra_communes):
        unit_services.create_unit(
            actor=None,
            name=f"Xã Thêm {year}-{number}",
            type=UnitType.COMMUNE,
            code=f"99{year % 100}{number:02d}",
            parent=cast["province"],
            kind="Xã",
            valid_from=datetime.date(2025, 7, 1),
        )
    criteria.import_criteria(
        actor=None, content=CRITERIA_CSV.encode(), filename="bo.csv", year=year, unit_type=UnitType.COMMUNE
    )
    campaign = campaigns.create_campaign(
        actor=None,
        organiser=cast["province"],
        year=year,
        deadlines={"self_assessment_until": FAR, "appraisal_until": FAR},
    )
    return move_to(campaign, Phase.SELF_ASSESSMENT, None)


def _ranking_queries(client, campaign):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("parindex:ranking", args=[campaign.pk]), {"type": UnitType.COMMUNE})
    assert page.status_code == 200
    return len(queries), page.content.decode()


def test_the_ranking_costs_the_same_queries_for_two_units_and_for_eight(client, cast):
    few = _campaign(cast, 2026, extra_communes=0)
    many = _campaign(cast, 2027, extra_communes=6)
    assert (few.assessments.count(), many.assessments.count()) == (2, 8)
    client.force_login(cast["leader"])
    few_queries, few_page = _ranking_queries(client, few)
    many_queries, many_page = _ranking_queries(client, many)
    assert "Xã Thêm 2027-5" in many_page and "Xã Thêm" not in few_page
    assert many_queries == few_queries

    # From finalisation on the page reads the fixed results: the same holds.
    few, many = (move_to(campaign, Phase.FINALISATION, None) for campaign in (few, many))
    assert (few.results.count(), many.results.count()) == (2, 8)
    assert _ranking_queries(client, many)[0] == _ranking_queries(client, few)[0]


def test_automatic_leaves_read_each_metric_once_for_all_units(cast):
    few = _campaign(cast, 2026, extra_communes=0)
    many = _campaign(cast, 2027, extra_communes=6)
    counts = []
    for campaign in (few, many):
        items = list(
            Item.objects.filter(
                assessment__campaign=campaign, criterion__method=Method.METRIC
            ).select_related("criterion", "assessment__unit")
        )
        with CaptureQueriesContext(connection) as queries:
            measured = measure_many(items, campaign.year)
        counts.append(len(queries))
        assert {result.value for result in measured.values()} == {Decimal("90.0000")}
        # The rate is above the leaf's threshold of 80 %: full points, set when self-assessment opened.
        assert {item.self_score for item in Item.objects.filter(pk__in=[i.pk for i in items])} == {
            Decimal("4")
        }
    assert counts == [1, 1]
