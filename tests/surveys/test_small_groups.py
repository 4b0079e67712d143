"""SIPAS figures of a group with too few forms are not shown: a unit, field or channel with fewer forms
than the smallest group (3 unless the site setting says otherwise) keeps its count but no index, on the
page, in the API, the files, the command and the metric that plans and the PAR Index read."""

import datetime
import io
import json

import lxml.html
import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from cchc.core import metrics
from cchc.core.periods import Period
from cchc.core.settings_store import set_setting
from cchc.surveys.indices import SMALLEST_GROUP_SETTING, campaign_total, index_table, smallest_group
from cchc.surveys.services import sipas
from tests.surveys.conftest import YEAR, satisfied_answers


def _enter(cast, campaign, unit, level, channel="paper"):
    sipas.enter_response(
        actor=cast["reform_admin"],
        campaign=campaign,
        unit=cast[unit],
        answers=satisfied_answers(level),
        channel=channel,
        answered_on=datetime.date(YEAR, 3, 2),
    )


@pytest.fixture
def answered(cast, sipas_campaign):
    """Xã Tây: three paper forms; Sở Tư pháp: one phone interview, whose answers are all 1."""
    for level in (5, 4, 2):
        _enter(cast, sipas_campaign, "west_commune", level)
    _enter(cast, sipas_campaign, "justice", 1, channel="phone")
    return sipas_campaign


def _rows(campaign, by="unit"):
    return {row.unit.code if by == "unit" else row.key: row for row in index_table(campaign, by)}


def test_a_group_below_the_smallest_keeps_its_count_but_no_figure(cast, answered):
    assert smallest_group() == 3
    rows = _rows(answered)
    west, justice = rows[cast["west_commune"].code], rows[cast["justice"].code]
    assert west.n == 3 and west.overall is not None and west.hidden_below is None
    assert justice.n == 1 and justice.hidden_below == 3
    assert justice.overall is None and justice.ci_low is None and justice.ci_high is None
    assert set(justice.elements) == set(west.elements) and set(justice.elements.values()) == {None}
    channels = _rows(answered, "channel")
    assert channels["phone"].overall is None and channels["paper"].overall == west.overall
    assert campaign_total(answered).overall is not None  # four forms in all


def test_the_threshold_is_a_setting(cast, answered):
    set_setting(actor=cast["reform_admin"], key=SMALLEST_GROUP_SETTING, value=1)
    assert _rows(answered)[cast["justice"].code].overall == 0
    set_setting(actor=cast["reform_admin"], key=SMALLEST_GROUP_SETTING, value=5)
    assert _rows(answered)[cast["west_commune"].code].overall is None
    assert campaign_total(answered).overall is None  # four forms are fewer than five
    for mistyped in ("ba", None, 0):  # unreadable, or below one: the default, or one
        set_setting(actor=cast["reform_admin"], key=SMALLEST_GROUP_SETTING, value=mistyped)
        assert smallest_group() == (1 if mistyped == 0 else 3)


def test_the_page_says_why_a_row_has_no_figure(client, cast, answered):
    client.force_login(cast["reform_admin"])
    response = client.get(reverse("surveys:campaign", args=[answered.pk]))
    page = lxml.html.fromstring(response.content.decode())
    justice, west = cast["justice"].pk, cast["west_commune"].pk
    hidden = page.xpath(f'//*[@data-testid="cell-{justice}-hidden"]')
    assert len(hidden) == 1 and hidden[0].get("title").startswith("Dưới 3 phiếu: ")
    assert hidden[0].text_content() == "không công bố"
    assert page.xpath(f'//*[@data-testid="cell-{justice}-overall"]')[0].get("data-value") == ""
    assert page.xpath(f'//*[@data-testid="cell-{justice}-TC"]')[0].get("data-value") == ""
    assert not page.xpath(f'//*[@data-testid="cell-{west}-hidden"]')
    assert page.xpath(f'//*[@data-testid="cell-{west}-overall"]')[0].get("data-value") != ""
    assert "có dưới 3 phiếu không được công bố" in response.content.decode()
    by_channel = client.get(reverse("surveys:campaign", args=[answered.pk]), {"by": "channel"})
    groups = lxml.html.fromstring(by_channel.content.decode()).xpath("//tr[@data-key]")
    hidden_keys = {
        row.get("data-key") for row in groups if row.xpath('.//*[contains(@data-testid, "-hidden")]')
    }
    assert {row.get("data-key") for row in groups} == {"paper", "phone"} and hidden_keys == {"phone"}


def test_the_api_file_command_and_metric_hide_it_too(api, client, cast, answered, capsys):
    api.force_authenticate(cast["reform_admin"])
    body = api.get(f"/api/v1/sipas-campaigns/{answered.pk}/results/").json()
    by_unit = {row["unit_name"]: row for row in body["rows"]}
    justice = by_unit[cast["justice"].name]
    assert (justice["n"], justice["overall"], justice["hidden_below"]) == (1, None, 3)
    assert set(justice["elements"].values()) == {None}
    assert by_unit[cast["west_commune"].name]["hidden_below"] is None
    assert body["total"]["overall"] is not None

    client.force_login(cast["reform_admin"])
    response = client.get(reverse("surveys:results-xlsx", args=[answered.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Theo đơn vị"]
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "Không công bố (dưới 3 phiếu)" in values

    call_command("surveys", "results", "--campaign", answered.code, "--json")
    printed = {row["unit_code"]: row for row in json.loads(capsys.readouterr().out)}
    assert printed[cast["justice"].code]["overall"] is None
    assert printed[cast["justice"].code]["hidden_below"] == 3

    year = Period.parse(str(YEAR))
    figures = metrics.compute_many("surveys.sipas_overall", [cast["justice"], cast["west_commune"]], year)
    assert figures[cast["justice"].pk] is None and figures[cast["west_commune"].pk] is not None
