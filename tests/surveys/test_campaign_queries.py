"""The SIPAS campaign page of a province with many surveyed units: queries that do not grow with them.

Under load the page was the slowest (6.5 s at the 95th percentile with 20 users on the demo): it read
the answers of each campaign twice, and a unit with answers but no quota any more cost a query of its
own. These tests hold the page at a fixed number of queries from 30 to 90 units.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.surveys.indices import campaign_total, index_table, units_and_total
from cchc.surveys.models import CampaignStatus, UnitQuota
from cchc.surveys.services import sipas
from cchc.units.models import Unit, UnitType
from cchc.units.services import units as unit_services
from tests.surveys.conftest import satisfied_answers

ANSWERS_TABLE = '"surveys_surveyanswervalue"'


def _communes(province, start: int, count: int) -> list[Unit]:
    return [
        unit_services.create_unit(
            actor=None,
            name=f"Xã Khảo Sát {number}",
            type=UnitType.COMMUNE,
            code=f"8{number:04d}",
            parent=province,
            kind="Xã",
        )
        for number in range(start, start + count)
    ]


def _survey(actor, campaign, units: list[Unit], *, day: datetime.date, drop_quota_every: int = 0) -> None:
    """One form per unit, at a level that varies with the unit; every `drop_quota_every`-th unit then
    loses its quota (its answers stay: the page still shows it)."""
    for position, unit in enumerate(units):
        UnitQuota.objects.get_or_create(
            campaign=campaign, unit=unit, defaults={"quota": 20, "link_token": f"t-{campaign.pk}-{unit.pk}"}
        )
        sipas.enter_response(
            actor=actor,
            campaign=campaign,
            unit=unit,
            answers=satisfied_answers(2 + position % 4),
            channel="paper",
            answered_on=day,
        )
        if drop_quota_every and position % drop_quota_every == 0:
            UnitQuota.objects.filter(campaign=campaign, unit=unit).delete()


@pytest.fixture
def two_campaigns(cast, sipas_campaign):
    """This year's campaign and last year's of the same organiser (the page compares them)."""
    admin = cast["reform_admin"]
    year = sipas_campaign.year
    before = sipas.new_campaign(
        actor=admin, organiser=cast["province"], template="sipas", year=year - 1, code=f"SIPAS-{year - 1}"
    )
    before = sipas.set_status(actor=admin, campaign=before, status=CampaignStatus.OPEN)
    return sipas_campaign, before


def _grow(cast, two_campaigns, start: int, count: int) -> None:
    current, before = two_campaigns
    units = _communes(cast["province"], start, count)
    _survey(cast["reform_admin"], current, units, day=datetime.date(current.year, 3, 2), drop_quota_every=5)
    _survey(cast["reform_admin"], before, units, day=datetime.date(before.year, 3, 2))


def _get(client, campaign):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("surveys:campaign", args=[campaign.pk]))
    assert response.status_code == 200
    return response, queries


def test_the_campaign_page_costs_the_same_queries_for_30_and_90_units(client, cast, two_campaigns):
    current, _before = two_campaigns
    client.force_login(cast["reform_admin"])
    _grow(cast, two_campaigns, start=1, count=30)
    client.get(reverse("surveys:campaign", args=[current.pk]))  # the session and calendar are read once
    few_page, few = _get(client, current)
    _grow(cast, two_campaigns, start=31, count=60)
    more_page, more = _get(client, current)

    rows = 'data-testid="row-'
    assert more_page.content.decode().count(rows) == few_page.content.decode().count(rows) + 60
    assert len(more) == len(few), [query["sql"][:120] for query in more.captured_queries]


def test_the_answers_of_each_campaign_are_counted_once(client, cast, two_campaigns):
    current, _before = two_campaigns
    client.force_login(cast["reform_admin"])
    _grow(cast, two_campaigns, start=1, count=30)
    _page, queries = _get(client, current)
    reads = [query["sql"] for query in queries.captured_queries if ANSWERS_TABLE in query["sql"]]
    assert len(reads) == 2, reads  # this year's campaign and last year's, not twice each


def test_units_and_total_equal_the_index_table_and_the_campaign_total(cast, two_campaigns):
    current, _before = two_campaigns
    _grow(cast, two_campaigns, start=1, count=12)
    in_reach = Unit.objects.filter(code__in=["80001", "80002", "80003", "80007"])
    for units in (None, in_reach):
        rows, total = units_and_total(current, None, units)
        expected = index_table(current, "unit", None, units)
        assert [(row.key, row.n, row.elements, row.overall, row.quota) for row in rows] == [
            (row.key, row.n, row.elements, row.overall, row.quota) for row in expected
        ]
        alone = campaign_total(current, None, units)
        assert (total.n, total.elements, total.overall, total.ci_low) == (
            alone.n,
            alone.elements,
            alone.overall,
            alone.ci_low,
        )
