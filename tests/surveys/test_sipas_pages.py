"""SIPAS staff pages: the campaigns, the results dashboard, links and QR codes, invitations, entry, import."""

import datetime
from decimal import Decimal

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.accounts.permissions import VIEW
from cchc.core import metrics
from cchc.core.periods import Period
from cchc.core.settings_store import set_setting
from cchc.surveys import qr
from cchc.surveys.indices import SMALLEST_GROUP_SETTING, campaign_total, index_table
from cchc.surveys.models import CampaignStatus, Invitation, SurveyCampaign, SurveyResponse, UnitQuota
from cchc.surveys.services import sipas
from cchc.units.models import LineageRelation, Unit, UnitLineage, UnitType
from cchc.units.services import units as unit_services
from tests.conftest import uploaded
from tests.surveys.conftest import satisfied_answers

pytestmark = pytest.mark.usefixtures("english", "every_group_shown")  # small samples
HEADER = "campaign_code,response_code,unit_code,question_code,answer\n"


def _page(response):
    return lxml.html.fromstring(response.content.decode())


def _one(page, testid):
    found = page.xpath(f'//*[@data-testid="{testid}"]')
    assert len(found) == 1, f"{testid}: {len(found)} elements"
    return found[0]


def _has(page, testid):
    return bool(page.xpath(f'//*[@data-testid="{testid}"]'))


def _value(text):
    return None if text in ("", None) else Decimal(text)


def _enter(actor, campaign, unit, level, day=datetime.date(2026, 3, 2), **extra):
    return sipas.enter_response(
        actor=actor,
        campaign=campaign,
        unit=unit,
        answers=satisfied_answers(level, **extra.pop("answers", {})),
        channel=extra.pop("channel", "paper"),
        answered_on=day,
        **extra,
    )


@pytest.fixture
def answered(cast, sipas_campaign):
    """Xã Tây: three forms (two satisfied, one not); Sở Tư pháp: one phone interview in May. Every group
    is shown, however few its forms (the pages of other modules import this fixture too)."""
    admin = cast["reform_admin"]
    set_setting(actor=None, key=SMALLEST_GROUP_SETTING, value=1)
    _enter(admin, sipas_campaign, cast["west_commune"], 5, field="Hộ tịch")
    _enter(admin, sipas_campaign, cast["west_commune"], 4, answers={"TC-HL": "2"}, field="Hộ tịch")
    _enter(admin, sipas_campaign, cast["west_commune"], 2, day=datetime.date(2026, 4, 1), field="Đất đai")
    _enter(admin, sipas_campaign, cast["justice"], 1, day=datetime.date(2026, 5, 5), channel="phone")
    return sipas_campaign


def _campaign_2025(cast):
    campaign = sipas.new_campaign(
        actor=cast["reform_admin"], organiser=cast["province"], template="sipas", year=2025, code="SIPAS-2025"
    )
    return sipas.set_status(actor=cast["reform_admin"], campaign=campaign, status=CampaignStatus.OPEN)


# -- the list of campaigns ------------------------------------------------------------------------


def test_campaign_list_shows_what_each_user_may_see(client, cast, answered):
    other = sipas.new_campaign(
        actor=cast["reform_admin"], organiser=cast["justice"], template="sipas", year=2026, code="STP-2026"
    )
    client.force_login(cast["reform_admin"])
    page = _page(client.get(reverse("surveys:campaigns")))
    row = _one(page, f"campaign-{answered.pk}")
    quotas = sum(UnitQuota.objects.filter(campaign=answered).values_list("quota", flat=True))
    assert row.get("data-received") == "4" and row.get("data-quota") == str(quotas)
    assert _has(page, f"campaign-{other.pk}") and _has(page, "create-campaign")
    assert _has(page, f"close-{answered.pk}") and _has(page, f"open-{other.pk}")

    client.force_login(cast["commune_officer"])
    response = client.get(reverse("surveys:campaigns"))
    page = _page(response)
    row = _one(page, f"campaign-{answered.pk}")
    assert (row.get("data-received"), row.get("data-quota")) == ("3", "150")  # Xã Tây's alone
    assert not _has(page, f"campaign-{other.pk}")
    assert not _has(page, "create-campaign") and not _has(page, f"close-{answered.pk}")
    assert "Sở Tư pháp" not in response.content.decode()


def test_reform_office_creates_opens_and_closes_a_campaign(client, cast):
    client.force_login(cast["reform_admin"])
    url = reverse("surveys:campaigns")
    data = {"organiser": cast["province"].pk, "year": 2027, "code": "SIPAS-2027", "title": ""}
    response = client.post(url, data)
    campaign = SurveyCampaign.objects.get(code="SIPAS-2027")
    assert response.status_code == 302 and response["Location"] == reverse(
        "surveys:campaign", args=[campaign.pk]
    )
    assert campaign.status == CampaignStatus.DRAFT and campaign.quotas.count() == 4
    assert client.post(url, data).status_code == 400  # the same code twice
    assert client.post(url, {**data, "code": "có dấu cách"}).status_code == 400
    assert SurveyCampaign.objects.count() == 1

    status_url = reverse("surveys:campaign-status", args=[campaign.pk])
    assert client.post(status_url, {"status": "open"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN
    client.post(status_url, {"status": "closed", "next": "campaign"})
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED
    assert client.get(status_url).status_code == 405


def test_others_may_neither_create_nor_open_or_close(client, cast, sipas_campaign):
    status_url = reverse("surveys:campaign-status", args=[sipas_campaign.pk])
    for person in ("commune_officer", "leader", "justice_focal"):
        client.force_login(cast[person])
        data = {"organiser": cast["province"].pk, "year": 2027, "code": f"X-{person}"}
        assert client.post(reverse("surveys:campaigns"), data).status_code == 403
        assert client.post(status_url, {"status": "closed"}).status_code == 403
    sipas_campaign.refresh_from_db()
    assert sipas_campaign.status == CampaignStatus.OPEN
    assert SurveyCampaign.objects.count() == 1


# -- the dashboard --------------------------------------------------------------------------------


def test_dashboard_figures_equal_the_index_table(client, cast, answered):
    client.force_login(cast["leader"])
    response = client.get(reverse("surveys:campaign", args=[answered.pk]))
    assert response.status_code == 200
    page = _page(response)
    rows = index_table(answered)
    assert {row.unit.code for row in rows} == {"99002", "99.STP"}
    for row in rows:
        line = _one(page, f"row-{row.unit.pk}")
        assert int(line.get("data-n")) == row.n and int(line.get("data-quota")) == row.quota
        assert line.get("data-below-quota") == "1"
        for code, value in row.elements.items():
            assert _value(_one(page, f"cell-{row.unit.pk}-{code}").get("data-value")) == value
        assert _value(_one(page, f"cell-{row.unit.pk}-overall").get("data-value")) == row.overall
        interval = _one(page, f"cell-{row.unit.pk}-interval")
        assert (_value(interval.get("data-low")), _value(interval.get("data-high"))) == (
            row.ci_low,
            row.ci_high,
        )
    # Units without a form yet are listed with n = 0, below their quota.
    east = _one(page, f"row-{cast['east_ward'].pk}")
    assert east.get("data-n") == "0" and east.get("data-below-quota") == "1"
    total = campaign_total(answered)
    assert _value(_one(page, "total-overall").get("data-value")) == total.overall
    assert _one(page, "total-n").get("data-value") == str(total.n)
    assert _has(page, "download-xlsx") and _has(page, "download-docx")
    assert _one(page, "previous-overall").get("data-value") == ""  # no 2025 survey


def test_commune_officer_sees_only_xa_tay(client, cast, answered):
    client.force_login(cast["commune_officer"])
    response = client.get(reverse("surveys:campaign", args=[answered.pk]))
    page = _page(response)
    assert _has(page, f"row-{cast['west_commune'].pk}")
    assert not _has(page, f"row-{cast['justice'].pk}") and not _has(page, f"row-{cast['east_ward'].pk}")
    assert "Sở Tư pháp" not in response.content.decode()
    own_total = campaign_total(answered, units=Unit.objects.for_user(cast["commune_officer"], VIEW))
    assert own_total.n == 3
    assert _value(_one(page, "total-overall").get("data-value")) == own_total.overall
    assert not _has(page, "download-xlsx")
    for name in ("surveys:results-xlsx", "surveys:report-docx"):
        assert client.get(reverse(name, args=[answered.pk])).status_code == 403


def test_outsiders_of_every_surveyed_unit_get_a_404(client, cast, sipas_campaign):
    other = sipas.new_campaign(
        actor=cast["reform_admin"], organiser=cast["justice"], template="sipas", year=2026, code="STP-2026"
    )
    client.force_login(cast["commune_officer"])
    assert client.get(reverse("surveys:campaign", args=[other.pk])).status_code == 404
    assert client.get(reverse("surveys:campaign", args=[999999])).status_code == 404


def test_last_years_figure_by_unit_and_through_a_single_predecessor(client, cast):
    start = datetime.date(2025, 7, 1)
    new_commune = unit_services.create_unit(
        actor=None,
        name="Xã Đông Mới",
        type=UnitType.COMMUNE,
        code="99003",
        parent=cast["province"],
        kind="Xã",
        valid_from=start,
    )
    UnitLineage.objects.create(
        predecessor=cast["east_ward"],
        successor=new_commune,
        relation=LineageRelation.RENAME,
        effective_date=datetime.date(2026, 1, 1),
    )
    last = _campaign_2025(cast)
    admin, day = cast["reform_admin"], datetime.date(2025, 9, 1)
    _enter(admin, last, cast["west_commune"], 5, day=day)
    _enter(admin, last, cast["east_ward"], 4, day=day, answers={"TC-HL": "1"})
    current = sipas.new_campaign(
        actor=admin, organiser=cast["province"], template="sipas", year=2026, code="SIPAS-2026"
    )
    client.force_login(cast["leader"])
    page = _page(client.get(reverse("surveys:campaign", args=[current.pk])))
    before = {row.unit.pk: row.overall for row in index_table(last)}
    west, east = cast["west_commune"].pk, cast["east_ward"].pk
    assert _value(_one(page, f"previous-{west}").get("data-value")) == before[west] == Decimal("100.00")
    assert _value(_one(page, f"previous-{east}").get("data-value")) == before[east] == Decimal("80.00")
    assert _value(_one(page, f"previous-{new_commune.pk}").get("data-value")) == before[east]
    assert _value(_one(page, "previous-overall").get("data-value")) == campaign_total(last).overall


def test_period_filter_and_breakdowns(client, cast, answered):
    client.force_login(cast["reform_admin"])
    url = reverse("surveys:campaign", args=[answered.pk])
    page = _page(client.get(url, {"period": "2026-03"}))
    march = campaign_total(answered, Period.parse("2026-03"))
    assert march.n == 2 and _one(page, "total-n").get("data-value") == "2"
    assert _one(page, f"row-{cast['justice'].pk}").get("data-n") == "0"
    page = _page(client.get(url, {"period": "2026-Q2"}))
    assert _one(page, "total-n").get("data-value") == "2"
    response = client.get(url, {"period": "2025-03"})
    assert response.status_code == 200 and _has(_page(response), "period-error")
    for by in ("field", "channel"):
        page = _page(client.get(url, {"by": by}))
        rows = index_table(answered, by=by)
        for number, row in enumerate(rows, start=1):
            line = _one(page, f"group-{number}")
            assert line.get("data-key") == row.key and int(line.get("data-n")) == row.n
            assert _value(_one(page, f"group-{number}-overall").get("data-value")) == row.overall
        assert len(page.xpath('//tr[starts-with(@data-testid, "group-")]')) == len(rows)


def test_rating_at_return_comes_from_the_one_stop_metric(client, cast, answered):
    from cchc.onestop import services as onestop
    from tests.onestop.conftest import PROCEDURES, dossier

    onestop.import_procedures(PROCEDURES, actor=None)
    records = [
        dossier("XT-1", rating="satisfied", finished_at="2026-01-07 10:00"),
        dossier("XT-2", rating="satisfied", finished_at="2026-01-08 10:00"),
        dossier("XT-3", rating="unsatisfied", finished_at="2026-01-09 10:00"),
    ]
    assert onestop.import_dossiers(records, actor=None).applied
    expected = metrics.get("onestop.satisfaction_rate").compute(cast["west_commune"], Period.parse("2026"))
    assert expected is not None and expected.denominator == 3
    client.force_login(cast["commune_officer"])
    page = _page(client.get(reverse("surveys:campaign", args=[answered.pk])))
    cell = _one(page, f"rating-{cast['west_commune'].pk}")
    assert (Decimal(cell.get("data-satisfied")), Decimal(cell.get("data-rated"))) == (
        expected.numerator,
        expected.denominator,
    )


def test_dashboard_queries_stay_bounded(client, cast, answered, django_assert_max_num_queries):
    _campaign_2025(cast)
    client.force_login(cast["reform_admin"])
    url = reverse("surveys:campaign", args=[answered.pk])
    client.get(url)
    with django_assert_max_num_queries(32):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(32):
        assert client.get(url, {"by": "field", "period": "2026-Q1"}).status_code == 200


# -- links, QR codes and invitations --------------------------------------------------------------


def _token(campaign, unit):
    return UnitQuota.objects.get(campaign=campaign, unit=unit).link_token


def test_links_page_lists_the_units_one_may_enter_for(client, cast, sipas_campaign):
    client.force_login(cast["commune_officer"])
    response = client.get(reverse("surveys:campaign-links", args=[sipas_campaign.pk]))
    assert response.status_code == 200
    page = _page(response)
    west = cast["west_commune"]
    assert _has(page, f"poster-{west.pk}") and not _has(page, f"poster-{cast['justice'].pk}")
    link = _one(page, f"link-{west.pk}").get("href")
    assert link == f"http://testserver/khao-sat/{_token(sipas_campaign, west)}/" or link.endswith(
        f"/{_token(sipas_campaign, west)}/"
    )
    client.force_login(cast["reform_admin"])
    page = _page(client.get(reverse("surveys:campaign-links", args=[sipas_campaign.pk])))
    assert len(page.xpath('//*[starts-with(@data-testid, "poster-")]')) == 4
    client.force_login(cast["leader"])  # views, enters nothing
    assert client.get(reverse("surveys:campaign-links", args=[sipas_campaign.pk])).status_code == 403


def test_qr_code_encodes_the_public_link_and_follows_view_rights(client, cast, sipas_campaign):
    west, justice = cast["west_commune"], cast["justice"]
    client.force_login(cast["commune_officer"])
    links = _page(client.get(reverse("surveys:campaign-links", args=[sipas_campaign.pk])))
    link = _one(links, f"link-{west.pk}").get("href")
    response = client.get(reverse("surveys:qr-code", args=[sipas_campaign.pk, west.pk]))
    assert response.status_code == 200 and response["Content-Type"] == qr.SVG_TYPE
    assert response.content == qr.svg(link, title=west.name)
    assert b"<svg" in response.content
    assert client.get(reverse("surveys:qr-code", args=[sipas_campaign.pk, justice.pk])).status_code == 404
    client.force_login(cast["leader"])
    assert client.get(reverse("surveys:qr-code", args=[sipas_campaign.pk, justice.pk])).status_code == 200
    unsurveyed = cast["justice_division"].pk
    assert client.get(reverse("surveys:qr-code", args=[sipas_campaign.pk, unsurveyed])).status_code == 404


def test_invitation_codes_for_ones_own_unit(client, cast, sipas_campaign):
    west, justice = cast["west_commune"], cast["justice"]
    url = reverse("surveys:invitations", args=[sipas_campaign.pk])
    client.force_login(cast["commune_officer"])
    response = client.post(url, {"unit": west.pk, "count": 3})
    assert response.status_code == 302
    assert Invitation.objects.filter(campaign=sipas_campaign, unit=west).count() == 3
    assert client.post(url, {"unit": justice.pk, "count": 3}).status_code == 302  # refused: not a choice
    assert client.post(url, {"unit": west.pk, "count": 0}).status_code == 302
    assert Invitation.objects.count() == 3
    page = _page(client.get(reverse("surveys:campaign-links", args=[sipas_campaign.pk])))
    codes = _one(page, f"codes-{west.pk}").xpath(".//li/text()")
    assert sorted(codes) == sorted(Invitation.objects.values_list("code", flat=True))
    client.force_login(cast["leader"])
    assert client.post(url, {"unit": west.pk, "count": 3}).status_code == 403
    assert Invitation.objects.count() == 3


# -- paper forms, phone interviews and imports ----------------------------------------------------


def _entry_data(campaign, unit, level="4", **extra):
    data = {
        "unit": unit.pk,
        "channel": "paper",
        "response_code": "XT-001",
        "answered_on": "02/03/2026",
        "field": "Hộ tịch",
    }
    for question in campaign.questions.all():
        if question.kind == "satisfaction" and question.element and question.element.kind == "service":
            data[f"answer_{question.pk}"] = level
        elif question.code == "TC1":
            data[f"answer_{question.pk}"] = "Đồng ý"
    return data | extra


def test_commune_officer_enters_a_paper_form_for_xa_tay(client, cast, sipas_campaign):
    west = cast["west_commune"]
    url = reverse("surveys:response-entry", args=[sipas_campaign.pk])
    client.force_login(cast["commune_officer"])
    page = _page(client.get(url))
    assert _has(page, "response-form") and not _has(page, "responses-upload")
    response = client.post(url, _entry_data(sipas_campaign, west))
    assert response.status_code == 302
    saved = SurveyResponse.objects.get()
    assert (saved.unit, saved.channel, saved.response_code, saved.field) == (
        west,
        "paper",
        "XT-001",
        "Hộ tịch",
    )
    assert saved.answered_on == datetime.date(2026, 3, 2) and saved.entered_by == cast["commune_officer"]
    assert (
        saved.answers.filter(score=4).count() == 5
        and saved.answers.get(question__code="TC1").text == "Đồng ý"
    )
    # The same form number again is refused by the service; the page says so and saves nothing.
    again = client.post(url, _entry_data(sipas_campaign, west))
    assert again.status_code == 400 and _has(_page(again), "error-response_code")
    assert SurveyResponse.objects.count() == 1


def test_paper_entry_for_another_unit_or_with_bad_answers_saves_nothing(client, cast, sipas_campaign):
    url = reverse("surveys:response-entry", args=[sipas_campaign.pk])
    client.force_login(cast["commune_officer"])
    assert client.post(url, _entry_data(sipas_campaign, cast["justice"])).status_code == 400
    no_answers = _entry_data(sipas_campaign, cast["west_commune"], level="")
    response = client.post(url, no_answers)
    assert response.status_code == 400 and _has(_page(response), "form-errors")
    late = _entry_data(sipas_campaign, cast["west_commune"], answered_on="05/01/2027")
    assert client.post(url, late).status_code == 400
    sipas.set_status(actor=None, campaign=sipas_campaign, status="closed")
    assert client.post(url, _entry_data(sipas_campaign, cast["west_commune"])).status_code == 400
    assert not SurveyResponse.objects.exists()
    client.force_login(cast["leader"])
    assert client.get(url).status_code == 403


def _upload(text, name="tra-loi.csv"):
    return uploaded(name, text, "text/csv")


def _form_rows(form, unit, scores, campaign="SIPAS-2026"):
    return "".join(f"{campaign},{form},{unit},{code},{score}\n" for code, score in scores.items())


def test_import_lists_row_errors_and_saves_nothing(client, cast, sipas_campaign):
    url = reverse("surveys:responses-import", args=[sipas_campaign.pk])
    client.force_login(cast["reform_admin"])
    bad = HEADER + _form_rows("F1", "99002", satisfied_answers(5)) + "SIPAS-2026,F2,99002,TC-HL,9\n"
    response = client.post(url, {"file": _upload(bad)})
    assert response.status_code == 400
    errors = _page(response).xpath('//*[@data-testid="import-error"]')
    assert errors and {(error.get("data-row"), error.get("data-column")) for error in errors} == {
        ("7", "answer")
    }
    other = sipas.new_campaign(
        actor=cast["reform_admin"], organiser=cast["province"], template="sipas", year=2026, code="OTHER"
    )
    sipas.set_status(actor=None, campaign=other, status="open")
    foreign = HEADER + _form_rows("F1", "99002", satisfied_answers(5), campaign="OTHER")
    response = client.post(url, {"file": _upload(foreign)})
    assert response.status_code == 400 and len(_page(response).xpath('//*[@data-testid="import-error"]')) == 5
    assert not SurveyResponse.objects.exists()
    good = (
        HEADER
        + _form_rows("F1", "99002", satisfied_answers(5))
        + _form_rows("F2", "99.STP", satisfied_answers(3))
    )
    response = client.post(url, {"file": _upload(good)})
    assert response.status_code == 302
    assert SurveyResponse.objects.filter(campaign=sipas_campaign).count() == 2


def test_only_the_reform_office_imports(client, cast, sipas_campaign):
    url = reverse("surveys:responses-import", args=[sipas_campaign.pk])
    good = HEADER + _form_rows("F1", "99002", satisfied_answers(5))
    for person in ("commune_officer", "leader"):
        client.force_login(cast[person])
        assert client.post(url, {"file": _upload(good)}).status_code == 403
        assert client.get(url).status_code == 405
    assert not SurveyResponse.objects.exists()
    client.force_login(cast["reform_admin"])
    page = _page(client.get(reverse("surveys:response-entry", args=[sipas_campaign.pk])))
    assert _has(page, "responses-upload")


def _more_surveyed_communes(cast, campaign, count, start):
    """`count` new communes surveyed in the campaign, each with one form; the one-stop rating of every
    surveyed unit is read on the same page."""
    for number in range(start, start + count):
        commune = unit_services.create_unit(
            actor=None,
            name=f"Xã Thêm {number}",
            type=UnitType.COMMUNE,
            code=f"9{number:04d}",
            parent=cast["province"],
            kind="Xã",
        )
        UnitQuota.objects.create(campaign=campaign, unit=commune, quota=50, link_token=f"them-{number}")
        _enter(cast["reform_admin"], campaign, commune, 4)


def test_dashboard_costs_the_same_queries_for_more_units(client, cast, answered):
    _campaign_2025(cast)
    client.force_login(cast["reform_admin"])
    url = reverse("surveys:campaign", args=[answered.pk])
    _more_surveyed_communes(cast, answered, 2, start=1)
    client.get(url)  # the session and the calendar are read once
    with CaptureQueriesContext(connection) as few:
        first = client.get(url)
    _more_surveyed_communes(cast, answered, 6, start=3)
    with CaptureQueriesContext(connection) as more:
        second = client.get(url)
    rated = '//*[starts-with(@data-testid, "rating-")]'
    assert len(_page(second).xpath(rated)) == len(_page(first).xpath(rated)) + 6
    assert len(more) == len(few), [query["sql"] for query in more.captured_queries]
