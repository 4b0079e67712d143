"""The leadership overview: who may see what, and figures equal to those of each module's own page.

The world: the test province's 2026 plan (an on-time target read from the one-stop rollups, a manual
target with monthly figures), an overdue task, dossiers of Sở Tư pháp and Xã Tây from January to
May, the 2025 PAR Index published (2024's for last year's comparison), a SIPAS campaign with answers
and citizen feedback. Today is 15/6/2026.
"""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from cchc.core.periods import Period
from cchc.onestop.models import UnitMonthRollup
from cchc.onestop.queries import dashboard as onestop_dashboard
from cchc.parindex.models import Band, Campaign, Phase, Result
from cchc.parindex.queries.ranking import campaign_rows
from cchc.plans.queries.dashboard import dashboard as plan_dashboard
from cchc.plans.services import plans as plan_services
from cchc.plans.services import tasks as task_services
from cchc.surveys.models import CampaignStatus, ResponseChannel, SurveyCampaign
from cchc.surveys.queries.feedback import unit_figures
from cchc.surveys.queries.sipas import result_rows
from cchc.surveys.services import feedback as feedback_services
from cchc.surveys.services import sipas
from cchc.units.models import Unit
from cchc.web.overview.data import build_overview
from tests.conftest import _person

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
NOW = datetime.datetime(2026, 6, 15, 3, tzinfo=datetime.UTC)  # 10:00 in Vietnam
FIVE_MONTHS = [datetime.date(2026, month, 1) for month in range(1, 6)]


def add_rollups(unit, months, finished, late):
    """`finished` dossiers a month, of which `late` late; the rest on time."""
    UnitMonthRollup.objects.bulk_create(
        [
            UnitMonthRollup(
                unit=unit,
                month=month,
                received=finished,
                finished=finished,
                finished_on_time=finished - late,
                finished_late=late,
            )
            for month in months
        ]
    )


def add_par_results(campaign, rows):
    Result.objects.bulk_create(
        [
            Result(
                campaign=campaign,
                unit=unit,
                unit_type=unit.type,
                score=Decimal(index),
                max_points=Decimal(100),
                index=Decimal(index),
                rank=rank,
                band=band,
            )
            for unit, index, rank, band in rows
        ]
    )


def add_unit_data(cast, plan, units, first=0):
    """For each of `units` (numbered from `first`): an overdue task, five months of dossiers (added to
    the province's rows too, which hold its whole subtree) and PAR Index results for 2024 and 2025."""
    province = cast["province"]
    finished = late = 0
    for number, unit in enumerate(units, start=first):
        task_services.add_task(
            actor=cast["reform_admin"],
            plan=plan,
            text=f"Nhiệm vụ quá hạn {number}",
            lead_unit=unit,
            deadline=datetime.date(2026, 5, 29),
        )
        add_rollups(unit, FIVE_MONTHS, finished=20 + number % 7, late=number % 3)
        finished, late = finished + 20 + number % 7, late + number % 3
    rows = UnitMonthRollup.objects.filter(unit=province, month__in=FIVE_MONTHS)
    if rows.exists():
        for row in rows:
            row.received += finished
            row.finished += finished
            row.finished_on_time += finished - late
            row.finished_late += late
            row.save()
    else:
        add_rollups(province, FIVE_MONTHS, finished=finished, late=late)
    for year, base in ((2024, 70), (2025, 75)):
        campaign = Campaign.objects.get(organiser=province, year=year)
        add_par_results(
            campaign,
            [(unit, base + number % 20, number + 1, "Khá") for number, unit in enumerate(units, start=first)],
        )


def build_world(cast, units):
    """The plan, tasks, dossiers, PAR Index, SIPAS and feedback for `units` (agencies or communes
    directly under the province). Call under the frozen clock."""
    admin, province = cast["reform_admin"], cast["province"]
    plan = plan_services.create_plan(
        actor=admin, issuing_unit=province, title="Kế hoạch CCHC năm 2026", year_from=2026
    )
    plan_services.add_target(
        actor=admin,
        plan=plan,
        code="CT1",
        text="Hồ sơ giải quyết đúng hạn",
        comparator=">=",
        value=95,
        unit="%",
        data_source="onestop.on_time_rate",
    )
    manual = plan_services.add_target(
        actor=admin, plan=plan, code="CT2", text="Văn bản điện tử", comparator=">=", value=90, unit="%"
    )
    plan_services.issue_plan(actor=admin, plan=plan, number="1/KH-UBND", issued_on=datetime.date(2026, 1, 5))
    # A falling manual series, 99 % in January to 95 % in May: its cumulative rate heads for 93,5 %.
    for month, done in zip(range(1, 6), (99, 98, 97, 96, 95), strict=True):
        plan_services.record_measurement(
            actor=admin,
            target=manual,
            unit=province,
            period=f"2026-{month:02d}",
            numerator=done,
            denominator=100,
        )
    Band.objects.create(year=2025, label="Tốt", min_index=80)
    Band.objects.create(year=2025, label="Khá", min_index=65)
    for year in (2024, 2025):
        Campaign.objects.create(
            organiser=province, year=year, title=f"Chỉ số CCHC {year}", phase=Phase.PUBLISHED
        )
    add_unit_data(cast, plan, units)
    task_services.add_task(
        actor=admin,
        plan=plan,
        text="Nhiệm vụ còn hạn",
        lead_unit=units[0],
        deadline=datetime.date(2026, 9, 30),
    )
    survey = sipas.new_campaign(
        actor=admin, organiser=province, template="sipas", year=2026, code="SIPAS-2026"
    )
    survey = sipas.set_status(actor=admin, campaign=survey, status=CampaignStatus.OPEN)
    for level, unit in zip((5, 4, 2, 5), units, strict=False):
        for _ in range(3):
            sipas.enter_response(
                actor=admin,
                campaign=survey,
                unit=unit,
                answers={code: str(level) for code in ("TC-HL", "TT-HL", "CC-HL", "KQ-HL", "PA-HL")},
                channel=ResponseChannel.PAPER,
                answered_on=datetime.date(2026, 4, 10),
            )
    for unit in units[:3]:
        feedback_services.receive_feedback(
            actor=admin,
            organiser=province,
            unit=unit,
            kind="procedure",
            title="Hồ sơ chậm",
            content="Hồ sơ của tôi bị chậm.",
            received_at=datetime.datetime(2026, 3, 2, 2, tzinfo=datetime.UTC),
        )
    return plan


@pytest.fixture
def world(cast):
    with time_machine.travel(NOW, tick=False):
        plan = build_world(
            cast, [cast["justice"], cast["home_affairs"], cast["west_commune"], cast["east_ward"]]
        )
        yield plan


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


# -- who sees what --------------------------------------------------------------------------------


def test_the_leader_sees_the_province(client, cast, world, frozen):
    client.force_login(cast["leader"])
    response = client.get(reverse("web:overview"), {"period": "2026"})
    assert response.status_code == 200
    overview = response.context["overview"]
    assert overview.unit_pk == cast["province"].pk
    assert overview.targets.plan_pk == world.pk
    assert overview.tasks.total == 4
    html = response.content.decode()
    for section in ("targets", "tasks", "onestop", "parindex", "sipas", "feedback"):
        assert f'data-testid="overview-{section}"' in html


def test_a_focal_point_sees_their_own_agency_only(client, cast, world, frozen):
    client.force_login(cast["justice_focal"])
    response = client.get(reverse("web:overview"))
    assert response.status_code == 200
    assert response.context["overview"].unit_pk == cast["justice"].pk
    assert [row.unit_pk for row in response.context["overview"].tasks.by_unit] == [cast["justice"].pk]
    # Another unit, or the province above, answers 404.
    for other in (cast["west_commune"], cast["province"]):
        assert client.get(reverse("web:overview"), {"unit": other.pk}).status_code == 404


def test_a_user_without_a_role_sees_no_figures(client, world, frozen):
    nobody = _person("khongvaitro", "Người Không Vai Trò")
    client.force_login(nobody)
    response = client.get(reverse("web:overview"))
    assert response.status_code == 200
    assert "overview" not in response.context
    assert 'data-testid="no-unit"' in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, world):
    response = client.get(reverse("web:overview"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_bad_period_shows_the_default_with_a_message(client, cast, world, frozen):
    client.force_login(cast["leader"])
    response = client.get(reverse("web:overview"), {"period": "2026-Q7"})
    assert response.status_code == 200
    assert response.context["period"].key == "2026"
    assert response.context["period_error"]


# -- the figures are the modules' own -------------------------------------------------------------


def test_targets_equal_the_plan_dashboard_and_warn_from_the_projection(cast, world, frozen):
    year = Period.parse("2026")
    overview = build_overview(cast["leader"], cast["province"], year, TODAY)
    lights = plan_dashboard(world, year, TODAY).lights
    assert [(line.pk, line.value, line.goal) for line in overview.targets.lines] == [
        (light.target.pk, light.value, light.goal) for light in lights
    ]
    manual = next(line for line in overview.targets.lines if line.code == "CT2")
    # Cumulative 99, 98.5, 98, 97.5, 97 (Jan..May): the line reaches 93,5 % in December: above 90 %.
    assert manual.projection is not None and manual.projection.points == 5
    assert manual.projection.value == Decimal("93.5")
    assert manual.projected_miss is False and manual.state == "no_data"  # no figure for the year yet
    counts = {count.state: count.count for count in overview.targets.counts}
    assert sum(counts.values()) == 2


def test_a_projection_that_misses_turns_a_met_target_at_risk(cast, world, frozen):
    manual = world.targets.get(code="CT2")
    plan_services.update_target(actor=cast["reform_admin"], target=manual, value=Decimal(95), reason="thử")
    # A year figure so far, so that the target reads as met today.
    plan_services.record_measurement(
        actor=cast["reform_admin"],
        target=manual,
        unit=cast["province"],
        period="2026",
        numerator=97,
        denominator=100,
    )
    line = next(
        line
        for line in build_overview(
            cast["leader"], cast["province"], Period.parse("2026"), TODAY
        ).targets.lines
        if line.code == "CT2"
    )
    assert line.value == Decimal(97) and line.projection.value == Decimal("93.5")
    assert line.projected_miss is True and line.state == "at_risk"


def test_one_stop_figures_equal_the_one_stop_dashboard(cast, world, frozen):
    period = Period.parse("2026-H1")
    overview = build_overview(cast["leader"], cast["province"], period, TODAY)
    figures = onestop_dashboard.figures(cast["province"], period)
    on_time = next(rate for rate in figures["headline"]["rates"] if rate["key"] == "on_time_rate")
    assert overview.onestop.value.quantize(Decimal("0.01")) == on_time["value"]
    assert (overview.onestop.numerator, overview.onestop.denominator) == (on_time["part"], on_time["whole"])
    # The five lowest of the units right below (four here), lowest first, as on their own dashboards.
    assert len(overview.onestop.worst) == 4
    for row in overview.onestop.worst:
        own = onestop_dashboard.figures(Unit.objects.get(pk=row.unit_pk), period)["headline"]["rates"][0]
        assert row.value.quantize(Decimal("0.01")) == own["value"]
    values = [row.value for row in overview.onestop.worst]
    assert values == sorted(values)
    assert overview.onestop.goal == Decimal(95) and overview.onestop.goal_source
    # The trend: twelve months up to June 2026, the same rates as the one-stop trend.
    assert len(overview.onestop.trend) == 12
    assert overview.onestop.trend[-1].month == datetime.date(2026, 6, 1)
    trend_rows = onestop_dashboard.trend_chart(cast["province"], Period.parse("2026-H1"))["rows"]
    assert [point.value for point in overview.onestop.trend[-6:]] == [row["on_time"] for row in trend_rows]


def test_the_par_index_equals_the_ranking_and_compares_with_last_year(cast, world, frozen):
    overview = build_overview(cast["leader"], cast["justice"], Period.parse("2026"), TODAY)
    par = overview.parindex
    campaign = Campaign.objects.get(year=2025)
    row = next(row for row in campaign_rows(campaign) if row.unit.pk == cast["justice"].pk)
    assert (par.index, par.rank, par.band) == (row.index_shown, row.rank, row.band)
    assert par.previous_index == Decimal("70.00") and par.index_change == Decimal("5.00")
    assert par.year == 2025


def test_the_par_index_of_a_province_sums_up_its_units(cast, world, frozen):
    par = build_overview(cast["leader"], cast["province"], Period.parse("2026"), TODAY).parindex
    assert par.index is None and par.units_scored == 4
    assert par.mean_index == Decimal("76.50")  # 75, 76, 77, 78
    assert dict(par.bands) == {"Khá": 4}


def test_sipas_and_feedback_equal_their_pages(cast, world, frozen):
    period = Period.parse("2026")
    overview = build_overview(cast["leader"], cast["province"], period, TODAY)
    campaign = SurveyCampaign.objects.get(code="SIPAS-2026")
    total = result_rows(campaign).total
    assert overview.sipas.index == total.overall
    assert (overview.sipas.low, overview.sipas.high) == (total.ci_low, total.ci_high)
    assert overview.sipas.responses == 12
    assert overview.sipas.low < overview.sipas.index < overview.sipas.high
    (figures,) = unit_figures([cast["province"]], period, TODAY)
    assert overview.feedback.received == figures["received"] == 3
    assert overview.feedback.overdue == figures["overdue"]
    assert overview.feedback.on_time == figures["on_time_value"]


def test_every_number_links_to_its_list(client, cast, world, frozen):
    client.force_login(cast["leader"])
    overview = client.get(reverse("web:overview"), {"period": "2026"}).context["overview"]
    links = [
        overview.targets.url,
        *[count.url for count in overview.targets.counts],
        *[line.url for line in overview.targets.lines],
        overview.tasks.url,
        *[row.url for row in overview.tasks.by_unit],
        overview.onestop.url,
        *[point.url for point in overview.onestop.trend],
        *[row.url for row in overview.onestop.worst],
        overview.parindex.url,
        overview.sipas.url,
        overview.feedback.url,
        overview.feedback.overdue_url,
    ]
    for link in set(links):
        assert client.get(link.split("#")[0]).status_code == 200, link


def test_the_unit_picker_offers_only_visible_units(client, cast, world, frozen):
    client.force_login(cast["commune_officer"])
    response = client.get(reverse("web:overview"))
    offered = {unit.pk for unit, _indent in response.context["units"]}
    assert offered == set(Unit.objects.for_user(cast["commune_officer"]).values_list("pk", flat=True))
    assert cast["justice"].pk not in offered


def test_the_plan_dashboard_shows_the_projection_and_the_warning(client, cast, world, frozen):
    manual = world.targets.get(code="CT2")
    client.force_login(cast["leader"])
    url = reverse("plans:plan-dashboard", args=[world.pk])
    response = client.get(url, {"period": "2026"})
    assert response.context["projections"][manual.pk].value == Decimal("93.5")
    html = response.content.decode()
    assert 'data-testid="projection"' in html and 'data-testid="projected-miss"' not in html
    plan_services.update_target(actor=cast["reform_admin"], target=manual, value=Decimal(95), reason="thử")
    html = client.get(url, {"period": "2026"}).content.decode()
    assert 'data-testid="projected-miss"' in html
    # Another year than the one under way has no projection.
    assert client.get(url, {"period": "2027"}).context["projections"][manual.pk] is None


def test_a_unit_with_its_own_plan_sees_that_plan(cast, world, frozen):
    world.refresh_from_db()  # issued since the fixture made it
    own = plan_services.cascade_plan(actor=cast["reform_admin"], parent=world, unit=cast["justice"])
    overview = build_overview(cast["leader"], cast["justice"], Period.parse("2026"), TODAY)
    assert overview.targets.plan_pk == own.pk
    # Without a plan of its own, a commune reads the province's plan.
    commune = build_overview(cast["leader"], cast["west_commune"], Period.parse("2026"), TODAY)
    assert commune.targets.plan_pk == world.pk


def test_the_par_index_is_rounded_as_the_ranking_rounds_it(cast, world, frozen):
    # 75,125: the ranking shows 75,13 (half up); rounding half to even would show 75,12.
    campaign = Campaign.objects.get(year=2025)
    Result.objects.filter(campaign=campaign, unit=cast["justice"]).update(
        score=Decimal("75.125"), index=Decimal("75.125")
    )
    par = build_overview(cast["leader"], cast["justice"], Period.parse("2026"), TODAY).parindex
    row = next(row for row in campaign_rows(campaign) if row.unit.pk == cast["justice"].pk)
    assert par.index == row.index_shown == Decimal("75.13")
    assert par.index_change == row.index_change == Decimal("5.13")


def test_a_rank_target_has_no_projection(cast, world, frozen):
    # Ranks entered month by month do not add up: 5th every month is not heading for 60th.
    rank = plan_services.add_target(
        actor=cast["reform_admin"],
        plan=world,
        code="CT3",
        text="Xếp hạng Chỉ số CCHC",
        comparator="<=",
        value=10,
        unit="rank",
    )
    for month in range(1, 6):
        plan_services.record_measurement(
            actor=cast["reform_admin"],
            target=rank,
            unit=cast["province"],
            period=f"2026-{month:02d}",
            numerator=5,
        )
    overview = build_overview(cast["leader"], cast["province"], Period.parse("2026"), TODAY)
    line = next(line for line in overview.targets.lines if line.code == "CT3")
    assert line.projection is None and line.projected_miss is False
    assert line.state != "at_risk"


@pytest.mark.parametrize("period", ["9999", "9999-12", "1900"])
def test_a_year_out_of_the_calendar_shows_the_default_with_a_message(client, cast, world, frozen, period):
    client.force_login(cast["leader"])
    response = client.get(reverse("web:overview"), {"period": period})
    assert response.status_code == 200
    assert response.context["period"].key == "2026"
    assert response.context["period_error"]
