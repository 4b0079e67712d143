"""SIPAS campaigns: the template, quotas, the four channels, imports, and the indices."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from cchc.surveys.indices import campaign_total, index_table, wilson
from cchc.surveys.models import Invitation, OverallFormula, SurveyCampaign, SurveyResponse, UnitQuota
from cchc.surveys.services import sipas
from cchc.surveys.services.common import ImportRefused
from cchc.surveys.services.imports import import_responses
from tests.surveys.conftest import YEAR, satisfied_answers

pytestmark = pytest.mark.usefixtures("english")
HEADER = "campaign_code,response_code,unit_code,question_code,answer\n"


def _link(campaign, unit):
    return UnitQuota.objects.get(campaign=campaign, unit=unit).link_token


def test_new_campaign_from_the_command_line(cast, capsys):
    call_command("surveys", "new-campaign", "--template", "sipas", "--year", "2026", "--code", "KS-2026")
    campaign = SurveyCampaign.objects.get(code="KS-2026")
    assert "KS-2026" in capsys.readouterr().out
    assert campaign.elements.filter(kind="service").count() == 5
    assert campaign.elements.filter(kind="policy").exists()
    assert {question.kind for question in campaign.questions.all()} == {
        "perception",
        "satisfaction",
        "expectation",
        "open",
    }
    quotas = {quota.unit.code: quota.quota for quota in campaign.quotas.select_related("unit")}
    assert quotas == {"99001": 200, "99002": 150, "99.SNV": 200, "99.STP": 200}  # phường 200, xã 150
    with pytest.raises(CommandError):
        call_command("surveys", "new-campaign", "--template", "sipas", "--year", "2026", "--code", "KS-2026")
    with pytest.raises(CommandError):
        call_command("surveys", "new-campaign", "--template", "papi", "--year", "2026", "--code", "KS-X")


def test_web_response_with_an_invitation_is_accepted_once(cast, sipas_campaign):
    [invitation] = sipas.create_invitations(
        actor=cast["commune_officer"], campaign=sipas_campaign, unit=cast["west_commune"], count=1
    )
    token = _link(sipas_campaign, cast["west_commune"])
    response = sipas.submit_web_response(
        link_token=token, answers=satisfied_answers(5), invitation_code=invitation.code.lower()
    )
    assert response.unit == cast["west_commune"] and response.channel == "web"
    assert len(response.receipt_code) == 10
    with pytest.raises(ValidationError):
        sipas.submit_web_response(
            link_token=token, answers=satisfied_answers(5), invitation_code=invitation.code
        )
    assert Invitation.objects.get().used_at is not None
    assert SurveyResponse.objects.count() == 1


def test_bad_web_answers_change_nothing(cast, sipas_campaign):
    token = _link(sipas_campaign, cast["west_commune"])
    for answers in (
        satisfied_answers(6),
        {"TC-HL": "5"},  # required questions missing
        satisfied_answers(4, TC1="Có lẽ"),  # not one of the options
        satisfied_answers(4, XX="1"),
    ):
        with pytest.raises(ValidationError):
            sipas.submit_web_response(link_token=token, answers=answers)
    with pytest.raises(ValidationError):
        sipas.submit_web_response(link_token="nope", answers=satisfied_answers(5))
    with pytest.raises(ValidationError):
        sipas.submit_web_response(link_token=token, answers=satisfied_answers(5), invitation_code="ZZZZZZZZ")
    sipas.set_status(actor=None, campaign=sipas_campaign, status="closed")
    with pytest.raises(ValidationError):
        sipas.submit_web_response(link_token=token, answers=satisfied_answers(5))
    assert not SurveyResponse.objects.exists()


def test_staff_enter_paper_forms_for_their_own_unit_only(cast, sipas_campaign):
    day = datetime.date(YEAR, 3, 2)
    sipas.enter_response(
        actor=cast["commune_officer"],
        campaign=sipas_campaign,
        unit=cast["west_commune"],
        answers=satisfied_answers(4),
        channel="paper",
        answered_on=day,
        response_code="XT-001",
    )
    with pytest.raises(ValidationError):  # the same paper form twice
        sipas.enter_response(
            actor=cast["commune_officer"],
            campaign=sipas_campaign,
            unit=cast["west_commune"],
            answers=satisfied_answers(4),
            channel="paper",
            answered_on=day,
            response_code="XT-001",
        )
    with pytest.raises(PermissionDenied):
        sipas.enter_response(
            actor=cast["commune_officer"],
            campaign=sipas_campaign,
            unit=cast["justice"],
            answers=satisfied_answers(4),
            channel="phone",
            answered_on=day,
        )
    with pytest.raises(ValidationError):  # outside the year surveyed
        sipas.enter_response(
            actor=cast["commune_officer"],
            campaign=sipas_campaign,
            unit=cast["west_commune"],
            answers=satisfied_answers(4),
            channel="phone",
            answered_on=datetime.date(YEAR + 1, 1, 5),
        )
    assert SurveyResponse.objects.count() == 1


def _rows(form, unit, scores, campaign="SIPAS-2026"):
    return "".join(f"{campaign},{form},{unit},{code},{score}\n" for code, score in scores.items())


def test_import_is_all_or_nothing_and_idempotent(cast, sipas_campaign, tmp_path):
    good = HEADER + _rows("F1", "99002", satisfied_answers(5)) + _rows("F2", "99002", satisfied_answers(2))
    summary = import_responses(actor=cast["reform_admin"], content=good.encode(), filename="a.csv")
    assert summary == {"created": 2, "updated": 0, "unchanged": 0}
    again = import_responses(actor=cast["reform_admin"], content=good.encode(), filename="a.csv")
    assert again == {"created": 0, "updated": 0, "unchanged": 2}
    changed = HEADER + _rows("F1", "99002", satisfied_answers(3))
    assert (
        import_responses(actor=cast["reform_admin"], content=changed.encode(), filename="a.csv")["updated"]
        == 1
    )
    bad = (
        HEADER
        + _rows("F3", "99002", satisfied_answers(4))
        + "SIPAS-2026,F4,99002,TC-HL,7\nSIPAS-2026,F5,88888,TC-HL,4\nNOPE,F6,99002,TC-HL,4\n"
    )
    with pytest.raises(ImportRefused) as refused:
        import_responses(actor=cast["reform_admin"], content=bad.encode(), filename="a.csv")
    assert {(row, column) for row, column, _m in refused.value.rows} >= {
        (7, "answer"),
        (8, "unit_code"),
        (9, "campaign_code"),
    }
    assert SurveyResponse.objects.count() == 2
    path = tmp_path / "b.csv"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(CommandError) as refused_cli:
        call_command("surveys", "import-responses", str(path))
    assert "dòng 7" in str(refused_cli.value)
    with pytest.raises(PermissionDenied):
        import_responses(actor=cast["commune_officer"], content=good.encode(), filename="a.csv")


def test_indices_per_element_overall_interval_and_quota(cast, sipas_campaign, capsys):
    # Xã Tây: 3 forms. TC: 5, 4, 2 -> 66.67 %; the other elements all 5 -> 100 %.
    rows = ""
    for number, tc in enumerate((5, 4, 2), start=1):
        rows += _rows(f"F{number}", "99002", satisfied_answers(5, **{"TC-HL": str(tc)}))
    import_responses(actor=cast["reform_admin"], content=(HEADER + rows).encode(), filename="a.csv")
    [row] = index_table(sipas_campaign)
    assert row.unit == cast["west_commune"] and row.n == 3
    assert row.elements["TC"] == Decimal("66.67") and row.elements["KQ"] == Decimal("100.00")
    assert row.overall == Decimal("93.33")  # (66.67 + 4 × 100) / 5
    assert row.below_quota and row.quota == 150
    low, high = wilson(0.9333, 3)
    assert (row.ci_low, row.ci_high) == (low, high) and low < row.overall < high
    call_command("surveys", "results", "--campaign", "SIPAS-2026", "--json")
    [printed] = json.loads(capsys.readouterr().out)
    assert printed["unit_code"] == "99002" and printed["n"] == 3 and printed["overall"] == "93.33"
    assert printed["elements"]["TC"] == "66.67" and printed["ci_low"] == str(low)
    sipas_campaign.formula = OverallFormula.POOLED
    sipas_campaign.save()
    assert index_table(sipas_campaign)[0].overall == Decimal("93.33")  # 14 of 15 answers satisfied


@pytest.mark.usefixtures("every_group_shown")
def test_indices_by_channel_and_period(cast, sipas_campaign):
    day = datetime.date(YEAR, 2, 10)
    sipas.enter_response(
        actor=cast["reform_admin"],
        campaign=sipas_campaign,
        unit=cast["justice"],
        answers=satisfied_answers(1),
        channel="phone",
        answered_on=day,
        field="Hộ tịch",
    )
    sipas.submit_web_response(link_token=_link(sipas_campaign, cast["justice"]), answers=satisfied_answers(5))
    by_channel = {row.key: row.overall for row in index_table(sipas_campaign, by="channel")}
    assert by_channel == {"phone": Decimal("0.00"), "web": Decimal("100.00")}
    from cchc.core.periods import Period

    february = campaign_total(sipas_campaign, Period.parse(f"{YEAR}-02"))
    assert february.n == 1 and february.overall == Decimal("0.00")
    assert index_table(sipas_campaign, by="field")[0].key in ("", "Hộ tịch")


def test_wilson_interval_known_value():
    low, high = wilson(0.5, 100)
    assert (low, high) == (Decimal("40.38"), Decimal("59.62"))
    assert wilson(0.5, 0) == (None, None)


@pytest.mark.usefixtures("every_group_shown")
def test_the_sipas_index_of_many_units_is_each_subtrees_index_in_five_queries(
    cast, sipas_campaign, django_assert_num_queries
):
    from cchc.core import metrics as registry
    from cchc.core.periods import Period
    from cchc.units.models import Unit

    for unit, level, month in (
        ("west_commune", 5, 2),
        ("west_commune", 2, 3),
        ("justice", 4, 3),
        ("justice", 1, 7),
    ):
        sipas.enter_response(
            actor=cast["reform_admin"],
            campaign=sipas_campaign,
            unit=cast[unit],
            answers=satisfied_answers(level),
            channel="paper",
            answered_on=datetime.date(YEAR, month, 2),
        )
    period = Period.parse(f"{YEAR}-H1")
    units = [cast[key] for key in ("province", "west_commune", "east_ward", "justice", "justice_division")]
    with django_assert_num_queries(5):  # the setting of the smallest group shown is the fifth
        many = registry.compute_many("surveys.sipas_overall", units, period)
    for unit in units:
        total = campaign_total(sipas_campaign, period, Unit.objects.subtree(unit))
        expected = None if total is None else total.overall
        assert (many[unit.pk].numerator if many[unit.pk] else None) == expected, unit.name
    assert many[cast["east_ward"].pk] is None  # no answers: no data, not 0
    assert many[cast["province"].pk].denominator == 100
