"""The ranking and comparison pages: who sees which rows, live and fixed figures, last year through lineage.

`two_years` builds what the pages (and test_documents) read: 2025 imported from a spreadsheet, where the
old Sở Tư pháp (88.STP, continued by today's Sở Tư pháp) scored 70 % and Sở Nội vụ 80 %; 2026 run in the
system and published, where Sở Tư pháp scores 90 % and Sở Nội vụ 75 %, Phường Đông 95 % and Xã Tây 50 %.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cchc.accounts import services as account_services
from cchc.accounts.models import Role
from cchc.parindex.models import Assessment, Item, Phase, Result
from cchc.parindex.queries.results import unit_results
from cchc.parindex.services import bands, campaigns, criteria, items
from cchc.parindex.services.results import import_scores
from cchc.units.models import UnitType
from cchc.units.services import units as unit_services
from tests.parindex.conftest import move_to

pytestmark = pytest.mark.django_db

CRITERIA_CSV = (
    "code,parent_code,title,max_points,method,threshold,evidence_required,not_applicable_rule,metric\n"
    "A,,Chỉ đạo điều hành,10,,,,,\n"
    "A.1,A,Kế hoạch năm,6,manual,,0,exclude,\n"
    "A.2,A,Báo cáo định kỳ,4,manual,,0,exclude,\n"
    "B,,Thủ tục hành chính,10,,,,,\n"
    "B.1,B,Giải quyết hồ sơ đúng hạn,10,manual,,0,exclude,\n"
    "C,,Khảo sát sự hài lòng,5,,,,,\n"
    "C.1,C,Mức độ hài lòng của người dân,5,survey,,0,exclude,\n"
)
FAR = datetime.date(2099, 12, 31)
THIS_YEAR_SCORES = {  # A.1, A.2, B.1 -> the index over 20 points (the survey leaf drops out unanswered)
    "justice": (6, 4, 8),  # 90 %
    "home_affairs": (5, 4, 6),  # 75 %
    "east_ward": (6, 4, 9),  # 95 %
    "west_commune": (3, 0, 7),  # 50 %
}
LAST_YEAR_CSV = (
    "unit_code,criterion_code,self_score,appraised_score,not_applicable\n"
    "88.STP,A.1,4,4,0\n88.STP,A.2,4,4,0\n88.STP,B.1,6,6,0\n"  # 70 %
    "99.SNV,A.1,6,6,0\n99.SNV,A.2,4,4,0\n99.SNV,B.1,6,6,0\n"  # 80 %
    "99001,A.1,6,6,0\n99001,A.2,4,4,0\n99001,B.1,6,6,0\n"  # 80 %
)


def load_sets(year):
    for unit_type in ("agency", "commune"):
        criteria.import_criteria(
            actor=None, content=CRITERIA_CSV.encode(), filename="bo.csv", year=year, unit_type=unit_type
        )
    bands.load_default_bands(actor=None, year=year)


def last_year(cast):
    """2025 from a spreadsheet; today's Sở Tư pháp continues the old one (a rename on 01/01/2026)."""
    old_justice = unit_services.create_unit(
        actor=None,
        name="Sở Tư pháp cũ",
        type=UnitType.AGENCY,
        code="88.STP",
        parent=cast["province"],
        kind="Sở",
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2025, 12, 31),
    )
    unit_services.add_lineage(
        actor=None,
        predecessor=old_justice,
        successor=cast["justice"],
        relation="rename",
        effective_date=datetime.date(2026, 1, 1),
    )
    load_sets(2025)
    return import_scores(
        actor=None, organiser=cast["province"], year=2025, content=LAST_YEAR_CSV.encode(), filename="2025.csv"
    )


def this_year(cast, phase=Phase.PUBLISHED):
    """2026 run in the system, appraised, then moved on to `phase` (at least the appraisal)."""
    load_sets(2026)
    campaign = campaigns.create_campaign(
        actor=None,
        organiser=cast["province"],
        year=2026,
        deadlines={"appraisal_until": FAR, "second_appraisal_until": FAR},
    )
    campaign = move_to(campaign, Phase.APPRAISAL, None)
    for key, scores in THIS_YEAR_SCORES.items():
        for code, points in zip(("A.1", "A.2", "B.1"), scores, strict=True):
            item = Item.objects.get(
                assessment__campaign=campaign, assessment__unit=cast[key], criterion__code=code
            )
            items.appraise_item(actor=None, item=item, accept=False, score=str(points), reason="Thẩm định")
    return move_to(campaign, phase, None)


@pytest.fixture
def two_years(cast):
    last_year(cast)
    return this_year(cast)


def page(client, user, name, campaign, **query):
    client.force_login(user)
    return client.get(reverse(f"parindex:{name}", args=[campaign.pk]), query)


def names(response):
    return [row.unit.name for row in response.context["rows"]]


# -- the ranking ----------------------------------------------------------------------------------


def test_the_reform_office_sees_every_agency_ranked_with_last_years_change(client, cast, two_years):
    response = page(client, cast["reform_admin"], "ranking", two_years)
    assert response.status_code == 200
    assert response.context["fixed"] is True
    assert response.context["unit_type"] == "agency"
    assert [t["value"] for t in response.context["types"]] == ["agency", "commune"]
    rows = {row.unit.code: row for row in response.context["rows"]}
    assert list(rows) == ["99.STP", "99.SNV"]
    justice, home_affairs = rows["99.STP"], rows["99.SNV"]
    assert (justice.rank, justice.index_shown, justice.score, justice.max_points) == (
        1,
        Decimal("90.00"),
        Decimal(18),
        Decimal(20),
    )
    assert justice.band == "Xuất sắc"
    # Last year through the lineage: the old Sở Tư pháp was second with 70 %.
    assert (justice.previous_rank, justice.rank_change, justice.index_change) == (2, 1, Decimal("20.00"))
    assert justice.previous_note == "Sở Tư pháp cũ"
    assert (home_affairs.previous_rank, home_affairs.rank_change, home_affairs.index_change) == (
        1,
        -1,
        Decimal("-5.00"),
    )
    assert [area["code"] for area in response.context["areas"]] == ["A", "B", "C"]
    # Nobody answered the survey: area C counted for nothing and shows no figure.
    assert [cell and cell["score"] for cell in justice.cells] == [Decimal(10), Decimal(8), None]
    assert justice.assessment_pk == Assessment.objects.get(campaign=two_years, unit=cast["justice"]).pk
    assert reverse("parindex:scorecard", args=[justice.assessment_pk]) in response.content.decode()
    assert response.context["chart"]["indices"] == [90.0, 75.0]


def test_the_figures_are_the_fixed_results(client, cast, two_years):
    stored = {result.unit.code: result for result in Result.objects.filter(campaign=two_years)}
    response = page(client, cast["leader"], "ranking", two_years, type="commune")
    assert response.status_code == 200
    for row in response.context["rows"]:
        assert row.index == stored[row.unit.code].index
        assert row.rank == stored[row.unit.code].rank
    assert names(response) == ["Phường Đông", "Xã Tây"]


def test_a_commune_sees_only_its_own_row(client, cast, two_years):
    response = page(client, cast["commune_officer"], "ranking", two_years)
    assert response.status_code == 200
    assert response.context["rows"] == []  # the agencies come first and none is his
    body = response.content.decode()
    assert "Sở Tư pháp" not in body and "Sở Nội vụ" not in body
    response = page(client, cast["commune_officer"], "ranking", two_years, type="commune")
    assert names(response) == ["Xã Tây"]
    assert response.context["rows"][0].rank == 2  # the rank among all communes
    body = response.content.decode()
    assert "Phường Đông" not in body and "Sở Tư pháp" not in body
    assert reverse("parindex:results-xlsx", args=[two_years.pk]) not in body


def test_an_agency_sees_its_own_row(client, cast, two_years):
    response = page(client, cast["justice_focal"], "ranking", two_years)
    assert names(response) == ["Sở Tư pháp"]
    assert "Sở Nội vụ" not in response.content.decode()


def test_an_unknown_type_falls_back_to_the_first(client, cast, two_years):
    response = page(client, cast["reform_admin"], "ranking", two_years, type="district")
    assert response.context["unit_type"] == "agency"


def test_someone_of_another_province_gets_a_404(client, cast, two_years):
    other = unit_services.create_unit(actor=None, name="Tỉnh Khác", type=UnitType.PROVINCE, code="98")
    stranger = account_services.create_user(actor=None, username="khac", password="mat-khau-thu-1")
    account_services.grant_role(actor=None, user=stranger, unit=other, role=Role.REFORM_OFFICE)
    for name in ("ranking", "comparison", "results-xlsx", "annex-docx"):
        assert page(client, stranger, name, two_years).status_code == 404, name
    assert page(client, stranger, "survey", two_years).status_code == 403


def test_before_finalisation_the_figures_are_live_and_provisional(client, cast):
    campaign = this_year(cast, Phase.APPRAISAL)
    response = page(client, cast["reform_admin"], "ranking", campaign)
    assert response.status_code == 200
    assert response.context["fixed"] is False
    live = {result.unit.pk: result for result in unit_results(campaign, "agency")}
    for row in response.context["rows"]:
        assert (row.index, row.rank) == (live[row.unit.pk].index, live[row.unit.pk].rank)
    assert names(response) == ["Sở Tư pháp", "Sở Nội vụ"]
    assert response.context["rows"][0].previous_index is None  # no 2025 results here


def test_the_ranking_needs_few_queries(client, cast, two_years, django_assert_max_num_queries):
    client.force_login(cast["reform_admin"])
    url = reverse("parindex:ranking", args=[two_years.pk])
    client.get(url)  # warm the session and the caches of the first request
    with django_assert_max_num_queries(14):
        response = client.get(url, {"type": "commune"})
    assert response.status_code == 200


# -- the comparison -------------------------------------------------------------------------------


def test_the_comparison_shows_both_years_and_the_change(client, cast, two_years):
    response = page(client, cast["leader"], "comparison", two_years)
    assert response.status_code == 200
    rows = {row.unit.code: row for row in response.context["rows"]}
    assert rows["99.STP"].previous_index_shown == Decimal("70.00")
    assert rows["99.STP"].index_shown == Decimal("90.00")
    assert rows["99.SNV"].previous_index_shown == Decimal("80.00")
    assert response.context["summary"] == {"up": 1, "down": 1, "same": 0, "new": 0}
    assert response.context["chart"]["previous"] == [70.0, 80.0]
    assert response.context["chart"]["current"] == [90.0, 75.0]
    communes = page(client, cast["leader"], "comparison", two_years, type="commune")
    summary = communes.context["summary"]
    assert summary == {"up": 1, "down": 0, "same": 0, "new": 1}  # Xã Tây was not in the 2025 file


def test_the_comparison_is_scoped_like_the_ranking(client, cast, two_years):
    response = page(client, cast["commune_officer"], "comparison", two_years, type="commune")
    assert names(response) == ["Xã Tây"]
    assert "Phường Đông" not in response.content.decode()
    response = page(client, cast["justice_focal"], "comparison", two_years)
    assert names(response) == ["Sở Tư pháp"]
    assert "Sở Nội vụ" not in response.content.decode()


# -- the downloads' permissions (their contents are in test_documents) ----------------------------


def test_only_viewers_of_the_province_download_the_full_table(client, cast, two_years):
    for user in (cast["reform_admin"], cast["leader"]):
        assert page(client, user, "results-xlsx", two_years).status_code == 200
        assert page(client, user, "annex-docx", two_years).status_code == 200
    for user in (cast["justice_focal"], cast["commune_officer"]):
        assert page(client, user, "results-xlsx", two_years).status_code == 403
        assert page(client, user, "annex-docx", two_years).status_code == 403


def test_no_download_before_the_results_are_fixed(client, cast):
    campaign = this_year(cast, Phase.SECOND_APPRAISAL)
    for name in ("results-xlsx", "annex-docx"):
        response = page(client, cast["reform_admin"], name, campaign)
        assert response.status_code == 302
        assert response["Location"] == reverse("parindex:ranking", args=[campaign.pk])


def test_the_pages_are_read_only(client, cast, two_years):
    client.force_login(cast["reform_admin"])
    for name in ("ranking", "comparison", "results-xlsx", "annex-docx"):
        assert client.post(reverse(f"parindex:{name}", args=[two_years.pk])).status_code == 405
