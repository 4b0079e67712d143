"""Criteria-set pages: the list, a set's tree, exports, and the reform office's import, default and clone."""

import io

import openpyxl
import pytest
from django.urls import reverse

from cchc.accounts import services as account_services
from cchc.core import metrics
from cchc.parindex.models import CriteriaSet, Criterion
from cchc.parindex.services import criteria as criteria_services
from tests.conftest import uploaded

pytestmark = pytest.mark.django_db

HEADER = "code,parent_code,title,max_points,method,threshold,evidence_required,not_applicable_rule,metric\n"
GOOD_CSV = HEADER + (
    "1,,Chỉ đạo điều hành,10,,,,,\n"
    "1.1,1,Ban hành kế hoạch,4,yes_no,,1,exclude,\n"
    "1.2,1,Tỷ lệ hoàn thành nhiệm vụ,6,rate,80,1,full,\n"
)
BAD_CSV = HEADER + (
    "1,,Chỉ đạo điều hành,10,,,,,\n"
    "1.1,1,Ban hành kế hoạch,4,đoán,,1,exclude,\n"  # row 3: unknown method
    "1.2,1,,6,rate,180,1,exclude,\n"  # row 4: no title, threshold above 100
)
TREE_FIELDS = (
    "code",
    "title",
    "max_points",
    "method",
    "threshold",
    "tiers",
    "per_occurrence",
    "floor",
    "evidence_required",
    "not_applicable_rule",
    "metric",
    "legal_basis",
)


def _login(client, user):
    client.force_login(user)
    return client


def _upload(client, content, name="bo.csv", **fields):
    data = {"year": 2031, "unit_type": "agency", "title": "", **fields}
    data["file"] = uploaded(name, content)
    return client.post(reverse("parindex:criteria-import"), data)


def _tree(criteria_set):
    parents = dict(criteria_set.criteria.values_list("pk", "code"))
    return [
        (parents.get(criterion.parent_id, ""), *[getattr(criterion, name) for name in TREE_FIELDS])
        for criterion in criteria_set.criteria.order_by("position")
    ]


# -- reading --------------------------------------------------------------------------------------


def test_the_list_shows_every_set_with_its_figures(client, cast, criteria_sets):
    response = _login(client, cast["commune_officer"]).get(reverse("parindex:criteria-sets"))
    assert response.status_code == 200
    assert response.context["editor"] is False
    assert response.context["upload_form"] is None
    shown = {criteria_set.pk: criteria_set for criteria_set in response.context["sets"]}
    for criteria_set in criteria_sets.values():
        row = shown[criteria_set.pk]
        assert row.leaves == criteria_set.criteria.exclude(method="").count()
        assert row.maximum_points == criteria_set.maximum()
        assert row.in_use is False


def test_the_list_says_which_sets_a_campaign_uses(client, cast, campaign, criteria_sets):
    response = _login(client, cast["reform_admin"]).get(reverse("parindex:criteria-sets"))
    assert response.context["editor"] is True
    assert all(row.in_use for row in response.context["sets"])


def test_someone_without_any_role_may_not_read_criteria(client, cast, criteria_sets):
    nobody = account_services.create_user(actor=None, username="khong.vai.tro", password="mat-khau-thu-1")
    client = _login(client, nobody)
    assert client.get(reverse("parindex:criteria-sets")).status_code == 403
    agency_set = criteria_sets["agency"]
    assert client.get(reverse("parindex:criteria-set", args=[agency_set.pk])).status_code == 403
    assert client.get(reverse("parindex:criteria-export", args=[agency_set.pk])).status_code == 403


def test_the_tree_page_shows_every_criterion_with_its_depth_and_metric(client, cast, criteria_sets):
    agency_set = criteria_sets["agency"]
    response = _login(client, cast["justice_focal"]).get(
        reverse("parindex:criteria-set", args=[agency_set.pk])
    )
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row["criterion"].code for row in rows] == list(
        agency_set.criteria.order_by("position").values_list("code", flat=True)
    )
    depth = {row["criterion"].code: row["depth"] for row in rows}
    assert (depth["1"], depth["1.1"], depth["1.1.1"]) == (0, 1, 2)
    metric_rows = [row for row in rows if row["criterion"].metric]
    assert metric_rows
    for row in metric_rows:
        assert row["metric_label"] == str(metrics.get(row["criterion"].metric).label)
    assert response.context["maximum"] == agency_set.maximum()
    assert response.context["clone_form"] is None  # a focal point changes no criteria


def test_an_unknown_set_is_a_404(client, cast):
    assert (
        _login(client, cast["reform_admin"]).get(reverse("parindex:criteria-set", args=[999])).status_code
        == 404
    )


def test_export_as_csv_and_xlsx(client, cast, criteria_sets):
    agency_set = criteria_sets["agency"]
    client = _login(client, cast["leader"])
    url = reverse("parindex:criteria-export", args=[agency_set.pk])
    as_csv = client.get(url, {"format": "csv"})
    assert as_csv.status_code == 200
    assert b"".join(as_csv.streaming_content) == criteria_services.export_csv(agency_set)
    assert "bo-chi-so-2026-agency.csv" in as_csv["Content-Disposition"]
    as_xlsx = client.get(url, {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(as_xlsx.streaming_content))).active
    assert sheet.max_row == agency_set.criteria.count() + 1
    assert client.get(url, {"format": "pdf"}).status_code == 404


# -- changing -------------------------------------------------------------------------------------


def test_a_good_file_creates_the_set(client, cast):
    response = _upload(_login(client, cast["reform_admin"]), GOOD_CSV.encode(), title="Bộ thử")
    created = CriteriaSet.objects.get(year=2031, unit_type="agency")
    assert response.status_code == 302
    assert response["Location"] == reverse("parindex:criteria-set", args=[created.pk])
    assert created.title == "Bộ thử"
    assert list(created.criteria.order_by("position").values_list("code", "method")) == [
        ("1", ""),
        ("1.1", "yes_no"),
        ("1.2", "rate"),
    ]


def test_a_bad_file_lists_every_problem_and_saves_nothing(client, cast, criteria_sets):
    before = (CriteriaSet.objects.count(), Criterion.objects.count())
    response = _upload(_login(client, cast["reform_admin"]), BAD_CSV.encode())
    assert response.status_code == 400
    problems = [(row, column) for row, column, _message in response.context["import_errors"]]
    assert (3, "method") in problems
    assert (4, "title") in problems
    assert (4, "threshold") in problems
    assert (CriteriaSet.objects.count(), Criterion.objects.count()) == before
    assert not CriteriaSet.objects.filter(year=2031).exists()


def test_a_file_missing_a_column_is_refused(client, cast):
    response = _upload(_login(client, cast["reform_admin"]), b"code,title\n1,A\n")
    assert response.status_code == 400
    assert {column for _row, column, _message in response.context["import_errors"]} >= {
        "max_points",
        "method",
    }
    assert not CriteriaSet.objects.exists()


def test_an_existing_set_is_replaced_only_when_asked(client, cast, criteria_sets):
    client = _login(client, cast["reform_admin"])
    response = _upload(client, GOOD_CSV.encode(), year=2026)
    assert response.status_code == 400
    assert "replace" in response.context["upload_form"].errors
    assert CriteriaSet.objects.get(year=2026, unit_type="agency").pk == criteria_sets["agency"].pk
    response = _upload(client, GOOD_CSV.encode(), year=2026, replace="on")
    assert response.status_code == 302
    assert CriteriaSet.objects.get(year=2026, unit_type="agency").criteria.count() == 3


def test_a_set_in_use_cannot_be_replaced(client, cast, campaign, criteria_sets):
    response = _upload(_login(client, cast["reform_admin"]), GOOD_CSV.encode(), year=2026, replace="on")
    assert response.status_code == 400
    assert response.context["upload_form"].non_field_errors()
    assert CriteriaSet.objects.get(year=2026, unit_type="agency").pk == criteria_sets["agency"].pk


def test_only_the_reform_office_changes_criteria(client, cast, criteria_sets):
    for user in (cast["commune_officer"], cast["justice_focal"], cast["leader"]):
        client = _login(client, user)
        assert _upload(client, GOOD_CSV.encode()).status_code == 403
        default = client.post(reverse("parindex:criteria-default"), {"year": 2032, "unit_type": "commune"})
        assert default.status_code == 403
        clone = client.post(
            reverse("parindex:criteria-clone", args=[criteria_sets["agency"].pk]), {"year": 2033}
        )
        assert clone.status_code == 403
    assert not CriteriaSet.objects.filter(year__gt=2026).exists()


def test_the_changes_are_post_only(client, cast, criteria_sets):
    client = _login(client, cast["reform_admin"])
    assert client.get(reverse("parindex:criteria-import")).status_code == 405
    assert client.get(reverse("parindex:criteria-default")).status_code == 405
    assert (
        client.get(reverse("parindex:criteria-clone", args=[criteria_sets["agency"].pk])).status_code == 405
    )


def test_loading_the_shipped_default(client, cast):
    response = _login(client, cast["reform_admin"]).post(
        reverse("parindex:criteria-default"), {"year": 2032, "unit_type": "commune"}
    )
    loaded = CriteriaSet.objects.get(year=2032, unit_type="commune")
    assert response.status_code == 302
    assert response["Location"] == reverse("parindex:criteria-set", args=[loaded.pk])
    assert loaded.criteria.exclude(method="").count() > 10


def test_cloning_into_another_year(client, cast, criteria_sets):
    source = criteria_sets["commune"]
    client = _login(client, cast["reform_admin"])
    response = client.post(reverse("parindex:criteria-clone", args=[source.pk]), {"year": 2027})
    copy = CriteriaSet.objects.get(year=2027, unit_type="commune")
    assert response.status_code == 302
    assert copy.cloned_from == source
    assert _tree(copy) == _tree(source)
    again = client.post(reverse("parindex:criteria-clone", args=[source.pk]), {"year": 2026})
    assert again.status_code == 400  # its own year
    assert "year" in again.context["clone_form"].errors


def test_an_xlsx_round_trip_gives_the_same_tree(client, cast, criteria_sets):
    source = criteria_sets["agency"]
    client = _login(client, cast["reform_admin"])
    response = client.get(reverse("parindex:criteria-export", args=[source.pk]), {"format": "xlsx"})
    exported = b"".join(response.streaming_content)
    response = _upload(client, exported, name="bo-2030.xlsx", year=2030)
    assert response.status_code == 302
    copy = CriteriaSet.objects.get(year=2030, unit_type="agency")
    assert _tree(copy) == _tree(source)
    assert copy.maximum() == source.maximum()
