"""The search box: codes, names with or without diacritics, and only what the searcher may see.

The world: the province's plan (issued, so every unit reads it) with a task led by Sở Tư pháp and a
target; Sở Tư pháp's own plan with a task nobody outside Sở Tư pháp (and above it) sees; a dossier
of Sở Tư pháp and one of Xã Tây; a feedback routed to Sở Tư pháp; the one-stop procedures.
Runs on SQLite and on PostgreSQL (DATABASE_URL): the folding is done by the database.
"""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from cchc.accounts.models import User
from cchc.onestop import services as onestop_services
from cchc.plans.services import plans as plan_services
from cchc.plans.services import tasks as task_services
from cchc.surveys.services.feedback import receive_feedback
from cchc.web.search import MAX_LENGTH, search
from tests.onestop.conftest import PROCEDURES, dossier

pytestmark = pytest.mark.django_db

URL = reverse("web:search")


@pytest.fixture
def world(cast):
    assert onestop_services.import_procedures(PROCEDURES, actor=None).applied
    records = [
        dossier("000.00.12.H99-260105-0001", unit="99.STP", procedure="DD-01"),
        dossier("XATAY-0002", unit="99002"),
    ]
    assert onestop_services.import_dossiers(records, actor=None).applied
    province_plan = plan_services.create_plan(
        actor=None, issuing_unit=cast["province"], title="Kế hoạch CCHC tỉnh năm 2026", year_from=2026
    )
    province_task = task_services.add_task(
        actor=None,
        plan=province_plan,
        text="Rà soát, đơn giản hoá thủ tục đất đai",
        lead_unit=cast["justice"],
        deadline_kind="recurring",
        code="2.1",
    )
    target = plan_services.add_target(
        actor=None, plan=province_plan, text="Tỷ lệ hồ sơ đúng hạn đạt trên 98%", comparator=">=", value=98
    )
    plan_services.issue_plan(
        actor=None, plan=province_plan, number="1/KH", issued_on=datetime.date(2026, 1, 2)
    )
    own_plan = plan_services.create_plan(
        actor=None, issuing_unit=cast["justice"], title="Kế hoạch riêng Sở Tư pháp", year_from=2026
    )
    own_task = task_services.add_task(
        actor=None,
        plan=own_plan,
        text="Số hoá sổ hộ tịch lưu trữ",
        lead_unit=cast["justice"],
        deadline_kind="recurring",
    )
    feedback = receive_feedback(
        actor=cast["justice_focal"],
        organiser=cast["province"],
        unit=cast["justice"],
        kind="procedure",
        channel="staff",
        title="Chậm trả lý lịch tư pháp",
        content="Hồ sơ nộp đã quá hạn.",
    )
    return cast | {
        "province_task": province_task,
        "target": target,
        "own_task": own_task,
        "feedback": feedback,
    }


def found(client, user, q):
    """{kind: [(title, url), …]} of the search page's results for `q`, as `user` sees them."""
    client.force_login(user)
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    results = response.context["results"]
    assert not results.error, results.error
    return {group.key: [(hit.title, hit.url) for hit in group.found.hits] for group in results.groups}


def titles(results, kind):
    return [title for title, _url in results.get(kind, [])]


@pytest.mark.parametrize("q", ["so noi vu", "Sở Nội vụ", "SỞ NỘI VỤ", "sở  nội   VU", "noi vu so"])
def test_a_unit_by_name_with_or_without_diacritics_in_any_case(client, world, q):
    assert titles(found(client, world["reform_admin"], q), "units") == ["Sở Nội vụ"]


@pytest.mark.parametrize("q", ["dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "đăng ky", "Dang Ký"])
def test_d_and_dj_are_the_same_letter(client, world, q):
    assert titles(found(client, world["commune_officer"], q), "procedures") == ["HT-01 – Đăng ký khai sinh"]


def test_a_letter_with_diacritics_does_not_match_another_word(client, world):
    # "đất" folds to "dat", which is not in "Đăng ký khai sinh": folding drops marks, it invents no letters.
    # (PostgreSQL then offers near matches, and says so.)
    client.force_login(world["reform_admin"])
    results = client.get(URL, {"q": "dat dai khai sinh"}).context["results"]
    assert results.near or not results.groups


def test_a_person_by_name_without_diacritics_links_to_their_unit(client, world):
    results = found(client, world["reform_admin"], "tran van dau moi")
    assert results["people"] == [("Trần Văn Đầu Mối", reverse("units:detail", args=[world["justice"].pk]))]


def test_a_task_and_a_target_by_words(client, world):
    results = found(client, world["justice_focal"], "don gian hoa thu tuc")
    assert results["tasks"] == [
        (str(world["province_task"]), reverse("plans:task", args=[world["province_task"].pk]))
    ]
    results = found(client, world["justice_focal"], "ho so dung han")
    assert results["targets"] == [(str(world["target"]), reverse("plans:target", args=[world["target"].pk]))]


def test_an_exact_code_comes_first(client, world):
    # "DD-01" is a procedure's code; a task coded "2.1" must not push it down, nor may other procedures.
    results = found(client, world["reform_admin"], "dd-01")
    assert titles(results, "procedures")[0].startswith("DD-01 ")
    assert titles(found(client, world["reform_admin"], "2.1"), "tasks") == [str(world["province_task"])]


@pytest.mark.parametrize(
    "q", ["000.00.12.H99-260105-0001", "000.00.12.h99-260105-0001", " 000.00.12.H99-260105-0001 "]
)
def test_a_dossier_by_its_code(client, world, q):
    results = found(client, world["justice_focal"], q)
    ((title, url),) = results["dossiers"]
    assert title == "000.00.12.H99-260105-0001"
    assert client.get(url).status_code == 200


def test_a_dossier_is_not_found_by_a_part_of_its_code(client, world):
    # A part of a code would need the whole dossier table read: only exact codes are looked up.
    assert "dossiers" not in found(client, world["reform_admin"], "H99-260105")


def test_feedback_by_its_receipt_code_in_any_case(client, world):
    code = world["feedback"].receipt_code
    for q in (code, code.lower()):
        ((title, url),) = found(client, world["justice_focal"], q)["feedback"]
        assert title == code
        assert client.get(url).status_code == 200


def test_a_user_of_another_unit_finds_nothing_of_ours(client, world):
    outsider = world["commune_officer"]  # focal point of Xã Tây
    assert found(client, outsider, "000.00.12.H99-260105-0001") == {}
    assert found(client, outsider, world["feedback"].receipt_code) == {}
    assert "tasks" not in found(client, outsider, "so hoa so ho tich")  # Sở Tư pháp's own plan
    assert "people" not in found(client, outsider, "dau moi")
    # Its own dossier it does find.
    assert titles(found(client, outsider, "XATAY-0002"), "dossiers") == ["XATAY-0002"]


def test_units_are_public_in_the_province_but_link_only_where_the_user_may_go(client, world):
    results = found(client, world["commune_officer"], "so tu phap")
    assert results["units"] == [("Sở Tư pháp", None)]
    results = found(client, world["commune_officer"], "xa tay")
    assert results["units"] == [("Xã Tây", reverse("units:detail", args=[world["west_commune"].pk]))]


def test_the_province_plan_is_read_by_every_unit_so_its_tasks_are_found(client, world):
    assert titles(found(client, world["commune_officer"], "thu tuc dat dai"), "tasks") == [
        str(world["province_task"])
    ]


def test_a_viewer_of_the_province_sees_what_viewers_see(client, world):
    viewer = world["leader"]
    assert titles(found(client, viewer, "000.00.12.H99-260105-0001"), "dossiers") == [
        "000.00.12.H99-260105-0001"
    ]
    assert titles(found(client, viewer, world["feedback"].receipt_code), "feedback") == [
        world["feedback"].receipt_code
    ]
    assert titles(found(client, viewer, "so ho tich"), "tasks") == [str(world["own_task"])]
    assert titles(found(client, viewer, "dau moi"), "people") == ["Trần Văn Đầu Mối"]


def test_a_user_without_any_role_finds_only_the_catalogue(client, world):
    from cchc.accounts import services as account_services

    nobody = account_services.create_user(
        actor=None, username="khach", password="mat-khau-thu-1", full_name="Khách"
    )
    assert set(found(client, nobody, "so")) <= {"procedures"}
    assert found(client, nobody, "000.00.12.H99-260105-0001") == {}


@pytest.mark.parametrize("q", ["", "   ", "\u0301"])
def test_an_empty_query_gets_a_vietnamese_message(client, world, q):
    client.force_login(world["leader"])
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    assert "Nhập mã hồ sơ" in response.content.decode()
    assert response.context["results"].groups == []


def test_a_query_of_500_characters_gets_a_vietnamese_message(client, world):
    client.force_login(world["leader"])
    response = client.get(URL, {"q": "sở nội vụ " * 50})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"tối đa {MAX_LENGTH} ký tự" in page
    assert response.context["results"].groups == []


@pytest.mark.parametrize("q", ["a\x00b", "%", "_", "100%", "' or 1=1 --", "\\"])
def test_odd_characters_are_searched_for_not_obeyed(client, world, q):
    results = found(client, world["reform_admin"], q)
    # "%" and "_" are LIKE wildcards: escaped, they match only themselves ("98%" in the target).
    if q == "%" or q == "100%":
        assert set(results) <= {"targets"}
    if q == "_":
        assert results == {}


def test_the_page_without_a_query_shows_the_box_and_no_message(client, world):
    client.force_login(world["leader"])
    response = client.get(URL)
    assert response.status_code == 200
    assert 'data-testid="search-form"' in response.content.decode()
    assert 'data-testid="search-error"' not in response.content.decode()


def test_the_top_bar_has_the_box_and_a_small_screen_link_to_the_page(client, world):
    client.force_login(world["leader"])
    page = client.get(reverse("web:dashboard")).content.decode()
    assert 'data-testid="search-box"' in page and 'data-testid="search-link"' in page
    assert f'action="{URL}"' in page


def test_signing_in_comes_first(client, world):
    response = client.get(URL, {"q": "so noi vu"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_one_search_takes_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    # One query per kind, two for units (their links) and for people (their roles); the search of
    # the near matches repeats the five name kinds.
    reform_admin = User.objects.get(pk=world["reform_admin"].pk)  # no permission cache yet
    with django_assert_max_num_queries(11):
        results = search(reform_admin, "so")
    assert results.count > 3
    with django_assert_max_num_queries(11 + 7):
        search(reform_admin, "khong co ten nao nhu the nay")


def test_at_most_a_few_hits_per_kind_and_a_note_that_there_are_more(client, world):
    from cchc.units.services import units as unit_services

    for number in range(12):
        unit_services.create_unit(
            actor=None,
            name=f"Xã Mới {number}",
            type="commune",
            code=f"99{100 + number}",
            parent=world["province"],
            kind="Xã",
            valid_from=datetime.date(2025, 7, 1),
        )
    client.force_login(world["reform_admin"])
    response = client.get(URL, {"q": "xa moi"})
    (group,) = response.context["results"].groups
    assert len(group.found.hits) == 8 and group.found.more
    assert "Chỉ hiện những kết quả đầu tiên" in response.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram similarity is PostgreSQL's")
def test_on_postgresql_a_mistyped_name_finds_near_matches(client, world):
    client.force_login(world["reform_admin"])
    response = client.get(URL, {"q": "so noi vuu"})
    results = response.context["results"]
    assert results.near
    assert "Sở Nội vụ" in [hit.title for group in results.groups for hit in group.found.hits]
