"""The national comparison pages: provinces side by side on a month's figure, and each province's
submission status per month against the deadline rule."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.accounts.models import Role
from cchc.accounts.permissions import APPRAISE, PLAN, VIEW, forget_cached_scope, has_unit_permission
from cchc.exchange import package
from cchc.exchange.models import ExchangePackage, SubmissionDeadline
from cchc.exchange.national import submissions
from cchc.units.models import UnitType
from cchc.units.services import units as unit_services
from tests.conftest import _person
from tests.exchange.conftest import field_row, make
from tests.exchange.test_checks import receive

pytestmark = pytest.mark.django_db
COMPARE = "exchange:compare"
STATUS = "exchange:submissions"


@pytest.fixture
def national(settings):
    settings.CCHC_NATIONAL = True
    return settings


@pytest.fixture
def ministry(db):
    user = _person("bnv", "Bộ Nội vụ")
    user.is_superuser = True
    user.save()
    return user


def _received(data: bytes, on: datetime.date) -> ExchangePackage:
    outcome = receive(data)
    assert outcome.status == "accepted", outcome.message
    moment = timezone.make_aware(datetime.datetime.combine(on, datetime.time(9)))
    latest = ExchangePackage.objects.filter(status="accepted").latest("id")
    ExchangePackage.objects.filter(pk=latest.pk).update(received_at=moment)
    return latest


def _onestop(received: int, on_time: int, finished: int) -> dict:
    row = field_row("99001", received=received)
    return row | {"finished": finished, "finished_on_time": on_time}


def test_the_provinces_side_by_side_on_a_one_stop_rate(client, registered, national, ministry):
    rows = [_onestop(40, 2, 3), field_row("99002", received=0) | {"finished": 0}]
    _received(make(registered["99"], rows), datetime.date(2026, 11, 5))
    client.force_login(ministry)
    url = reverse(COMPARE)
    page = client.get(url, {"period": "2026-10", "figure": "onestop:on_time_rate"}, HTTP_ACCEPT_LANGUAGE="vi")
    text = page.content.decode()
    assert page.status_code == 200
    # 2 of 3 finished on time, the Vietnamese way; the province that sent nothing has no data, not 0.
    assert 'data-testid="value-99">66,67\u00a0%' in text
    assert 'data-testid="value-98">—' in text
    assert text.index("province-99") < text.index("province-98")  # by value, highest first
    ascending = client.get(
        url, {"period": "2026-10", "figure": "onestop:on_time_rate", "sort": "code"}
    ).content
    assert ascending.decode().index("province-98") < ascending.decode().index("province-99")
    counts = client.get(url, {"period": "2026-10", "figure": "onestop:received"}).content.decode()
    assert 'data-testid="value-99">40<' in counts
    assert f"{reverse('exchange:packages')}?province=99" in text


def test_a_revision_replaces_the_figure_and_metrics_and_par_years_are_offered(
    client, registered, national, ministry
):
    metric = {"metric": "onestop.received", "unit_code": "99", "numerator": "1500", "denominator": None}
    commune = {"metric": "onestop.received", "unit_code": "99001", "numerator": "9", "denominator": None}
    _received(make(registered["99"], metrics=[metric, commune]), datetime.date(2026, 11, 5))
    par = [
        {"year": 2025, "unit_code": code, "unit_type": "commune", "index": index, "rank": rank, "band": ""}
        for code, index, rank in (("99001", "80.000000", 1), ("99002", "70.000000", 2))
    ]
    files = {
        "onestop_field_month": [field_row("99001")],
        "metrics": [metric | {"numerator": "1234.5"}],
        "parindex_results": par,
    }
    head = {"province": {"code": "99", "name": "Tỉnh"}, "period": "2026-10"}
    _received(package.build(head, files, registered["99"]), datetime.date(2026, 11, 20))
    client.force_login(ministry)
    url = reverse(COMPARE)
    page = client.get(url, {"period": "2026-10", "figure": "metric:onestop.received"}).content.decode()
    # The province's own row of the current revision; its communes are inside it already.
    assert 'data-testid="value-99">1.234,5<' in page
    assert 'value="par:2025"' in page
    par_page = client.get(url, {"period": "2026-10", "figure": "par:2025"}).content.decode()
    assert 'data-testid="value-99">75<' in par_page


def test_bad_choices_get_a_message_and_the_default(client, registered, national, ministry):
    client.force_login(ministry)
    page = client.get(
        reverse(COMPARE), {"period": "tháng mười", "figure": "metric:none"}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert page.status_code == 200
    assert 'data-testid="choice-error"' in page.content.decode()
    year = client.get(reverse(STATUS), {"until": "2026", "months": "7"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert year.status_code == 200 and 'data-testid="choice-error"' in year.content.decode()


def test_who_sees_the_comparison(client, registered, national, leader, commune_officer, ministry):
    for name in (COMPARE, STATUS):
        url = reverse(name)
        assert client.get(url).status_code == 302  # to the sign-in page
        client.force_login(commune_officer)  # sees no whole province
        assert client.get(url).status_code == 403
        assert url not in client.get(reverse("web:dashboard")).content.decode()
        client.force_login(leader)  # the viewer of province 99 sees 99 only
        text = client.get(url).content.decode()
        assert "Tỉnh Thử Nghiệm" in text and "Tỉnh Bên Cạnh" not in text
        assert url in client.get(reverse("web:dashboard")).content.decode()
        client.force_login(ministry)
        assert "Tỉnh Bên Cạnh" in client.get(url).content.decode()
        national.CCHC_NATIONAL = False  # a province instance has none of this
        assert client.get(url).status_code == 404
        assert url not in client.get(reverse("web:dashboard")).content.decode()
        national.CCHC_NATIONAL = True
        client.logout()


def test_a_province_viewer_on_a_neighbour_sees_only_the_neighbour(client, registered, national, neighbour):
    viewer = _person("xem98", "Người Xem", (neighbour, Role.VIEWER))
    client.force_login(viewer)
    text = client.get(reverse(COMPARE)).content.decode()
    assert "province-98" in text and "province-99" not in text


def test_the_status_grid_received_late_missing_revised(client, registered, national, ministry):
    key = registered["99"]
    _received(make(key, period="2026-10"), datetime.date(2026, 11, 10))  # on the day: in time
    _received(make(key, period="2026-09"), datetime.date(2026, 10, 11))  # a day late
    _received(make(key, period="2026-08"), datetime.date(2026, 9, 2))
    _received(make(key, [field_row("99001", received=3)], period="2026-08"), datetime.date(2026, 9, 30))
    client.force_login(ministry)
    page = client.get(reverse(STATUS), {"until": "2026-10", "months": "6"}, HTTP_ACCEPT_LANGUAGE="vi")
    text = page.content.decode()
    assert page.status_code == 200
    states = submissions.grid(list(registered_units()), submissions.month_keys("2026-10", 3))
    by_code = {unit.code: states[unit.pk] for unit in registered_units()}
    assert [by_code["99"][k].state for k in ("2026-08", "2026-09", "2026-10")] == [
        "revised",
        "late",
        "received",
    ]
    assert all(by_code["98"][k].state == "missing" for k in ("2026-08", "2026-09", "2026-10"))
    assert "Đã nhận" in text and "Nộp muộn" in text and "Chưa nộp" in text and "Đã nộp lại (lần 1)" in text
    assert "10/11/2026" in text  # October's deadline, from the rule
    # The assumed rule says it is one in words and with its badge, without the project's mark [I].
    assert "Giả định: ngày 10" in text and "chưa đối chiếu" in text and "[I]" not in text
    assert '<option value="2026-10" selected>Tháng 10/2026</option>' in text  # a month picked by name


def registered_units():
    from cchc.units.models import Unit

    return Unit.objects.filter(code__in=["98", "99"], parent__isnull=True).order_by("code")


def test_the_deadline_is_data_and_a_new_rule_applies_from_its_month(registered):
    assert submissions.deadlines(["2026-09"]) == {"2026-09": datetime.date(2026, 10, 10)}
    SubmissionDeadline.objects.create(applies_from="2026-09", day=20, legal_basis="Công văn thử")
    found = submissions.deadlines(["2026-08", "2026-09", "2026-12"])
    assert found == {
        "2026-08": datetime.date(2026, 9, 10),
        "2026-09": datetime.date(2026, 10, 20),
        "2026-12": datetime.date(2027, 1, 20),
    }


def test_cells():
    due = datetime.date(2026, 11, 10)
    today = datetime.date(2026, 12, 1)
    assert submissions.cell([], due, today).state == "missing"
    assert submissions.cell([], due, datetime.date(2026, 11, 10)).state == "not_due"
    assert submissions.cell([(1, due)], due, today).state == "received"
    late = submissions.cell([(1, due + datetime.timedelta(days=1))], due, today)
    assert late.state == "late" and late.late
    revised = submissions.cell([(3, today), (1, due + datetime.timedelta(days=1)), (2, today)], due, today)
    assert (revised.state, revised.revision, revised.late) == ("revised", 3, True)
    assert submissions.cell([(1, due)], None, today).state == "received"  # no rule: never late
    assert submissions.month_keys("2026-02", 3) == ["2025-12", "2026-01", "2026-02"]


def test_a_province_name_with_markup_stays_text(client, registered, national, ministry, neighbour):
    neighbour.name = '<img src=x onerror="alert(1)">'
    neighbour.save(update_fields=["name"])
    client.force_login(ministry)
    for name in (COMPARE, STATUS):
        text = client.get(reverse(name)).content.decode()
        assert "&lt;img src=x" in text and "<img src=x" not in text


@pytest.mark.parametrize(
    "name, query",
    [
        (STATUS, {"until": "9999-12"}),  # December's deadline would fall in year 10000
        (STATUS, {"until": "0001-03", "months": "24"}),  # 24 months back leave year 1
        (COMPARE, {"period": "0001-01"}),
    ],
)
def test_a_month_out_of_range_gets_a_message_not_a_server_error(
    client, registered, national, ministry, name, query
):
    client.force_login(ministry)
    page = client.get(reverse(name), query, HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200
    assert "Chọn một tháng trong khoảng từ năm 2000 đến năm 2100" in page.content.decode()


def test_the_day_received_is_the_day_in_vietnam(registered):
    # Due on the 10th, in Vietnam (UTC+7): 23:30 on the 10th is in time; 00:30 on the 11th is late,
    # though it is still 17:30 on the 10th in UTC.
    key = registered["99"]
    for period, local in (
        ("2026-09", datetime.datetime(2026, 10, 10, 23, 30)),
        ("2026-10", datetime.datetime(2026, 11, 11, 0, 30)),
    ):
        receive(make(key, period=period))
        moment = timezone.make_aware(local, datetime.timezone(datetime.timedelta(hours=7)))
        ExchangePackage.objects.filter(period=period).update(received_at=moment)
    states = submissions.grid(list(registered_units()), ["2026-09", "2026-10"], datetime.date(2026, 12, 1))
    province = registered_units().get(code="99")
    assert [states[province.pk][key].state for key in ("2026-09", "2026-10")] == ["received", "late"]


def test_single_values_of_two_old_provinces_give_no_figure(
    client, registered, national, ministry, old_commune
):
    from cchc.units.models import LineageRelation, Unit, UnitType
    from cchc.units.services import units as unit_services

    # Two old provinces merged into 99 on 1/7/2025; a May 2025 package speaks of both.
    other = unit_services.create_unit(
        actor=None,
        name="Tỉnh Cũ Khác",
        type=UnitType.PROVINCE,
        code="96",
        valid_to=datetime.date(2025, 6, 30),
    )
    unit_services.add_lineage(
        actor=None,
        predecessor=other,
        successor=Unit.objects.get(code="99", parent=None),
        relation=LineageRelation.MERGE,
        effective_date=datetime.date(2025, 7, 1),
    )
    rows = [
        {"metric": metric, "unit_code": code, "numerator": top, "denominator": base}
        for metric, top, base in (("onestop.feed_lag_hours", "8", None), ("onestop.on_time_rate", "3", "4"))
        for code in ("96", "97")
    ]
    rows.append({"metric": "new.unknown_count", "unit_code": "97", "numerator": "1500", "denominator": None})
    _received(make(registered["99"], [], period="2025-05", metrics=rows), datetime.date(2025, 6, 5))
    client.force_login(ministry)
    url = reverse(COMPARE)
    ask = {"period": "2025-05"}
    hours = client.get(url, ask | {"figure": "metric:onestop.feed_lag_hours"}).content.decode()
    assert 'data-testid="value-99">—' in hours  # not 16 hours
    rate = client.get(url, ask | {"figure": "metric:onestop.on_time_rate"}).content.decode()
    assert 'data-testid="value-99">75,00\u00a0%' in rate  # 6 of 8
    unknown = client.get(url, ask | {"figure": "metric:new.unknown_count"}).content.decode()
    assert 'data-testid="value-99">1.500<' in unknown  # a quantity, not "1.500 %"


@pytest.fixture
def ministry_unit(db):
    """The unit standing for the Ministry on the national instance: top-level, beside the provinces."""
    return unit_services.create_unit(
        actor=None, name="Bộ Nội vụ", type=UnitType.AGENCY, code="BNV", valid_from=datetime.date(2025, 3, 1)
    )


def test_a_role_on_the_ministry_reaches_every_province_on_the_national_instance(
    client, registered, national, ministry_unit, province, neighbour
):
    appraiser = _person("bnv.thamdinh", "Người Thẩm Định", (ministry_unit, Role.APPRAISER))
    client.force_login(appraiser)
    national.CCHC_NATIONAL_AUTHORITY_CODE = "BNV"
    text = client.get(reverse(COMPARE)).content.decode()
    assert "province-98" in text and "province-99" in text
    assert has_unit_permission(appraiser, APPRAISE, neighbour)  # the Ministry appraises the provinces
    assert not has_unit_permission(appraiser, PLAN, neighbour)  # and only what its role allows
    for change in ({"CCHC_NATIONAL_AUTHORITY_CODE": "KHAC"}, {"CCHC_NATIONAL": False}):
        for name, value in change.items():
            setattr(national, name, value)
        forget_cached_scope(appraiser)
        assert not has_unit_permission(appraiser, VIEW, province), change
        national.CCHC_NATIONAL, national.CCHC_NATIONAL_AUTHORITY_CODE = True, "BNV"
