"""The survey page: only the organiser's reform office; weights, default questionnaires, imports and entry."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cchc.parindex.models import AnswerChannel, Phase, Question, SurveyAnswer
from cchc.parindex.queries.results import unit_results
from cchc.parindex.services import campaigns
from cchc.parindex.services import survey as survey_services
from tests.conftest import uploaded
from tests.parindex.conftest import move_to
from tests.parindex.test_result_pages import load_sets

pytestmark = pytest.mark.django_db

ANSWERS_HEADER = "questionnaire_code,respondent,unit_code,question_code,answer\n"


@pytest.fixture
def open_campaign(cast):
    """2026 in preparation, on sets whose area C has one survey leaf C.1 worth 5 points."""
    load_sets(2026)
    return campaigns.create_campaign(actor=None, organiser=cast["province"], year=2026)


@pytest.fixture
def with_questionnaires(open_campaign):
    survey_services.default_questionnaires(actor=None, campaign=open_campaign)
    return open_campaign


def _url(campaign):
    return reverse("parindex:survey", args=[campaign.pk])


def _as(client, user):
    client.force_login(user)
    return client


def _justice(campaign, cast):
    return next(result for result in unit_results(campaign, "agency") if result.unit == cast["justice"])


def test_the_reform_office_opens_the_page(client, cast, open_campaign):
    response = _as(client, cast["reform_admin"]).get(_url(open_campaign))
    assert response.status_code == 200
    assert response.context["questionnaires"] == []
    assert {line["unit"].code: line["forms"] for line in response.context["unit_table"]} == {
        "99.SNV": 0,
        "99.STP": 0,
        "99001": 0,
        "99002": 0,
    }
    assert [row["letter"] for row in response.context["weight_rows"]] == ["A", "B", "C", "D", "", ""]


@pytest.mark.parametrize("who", ["commune_officer", "justice_focal", "leader"])
def test_everybody_else_is_refused(client, cast, with_questionnaires, who):
    client = _as(client, cast[who])
    assert client.get(_url(with_questionnaires)).status_code == 403
    answers = uploaded("a.csv", (ANSWERS_HEADER + "DTXHH-agency,1,99.STP,C.1,A\n").encode())
    assert client.post(_url(with_questionnaires), {"action": "import", "file": answers}).status_code == 403
    weights = {"action": "weights", "letter-0": "A", "weight-0": "10"}
    assert client.post(_url(with_questionnaires), weights).status_code == 403
    assert not SurveyAnswer.objects.exists()
    with_questionnaires.refresh_from_db()
    assert with_questionnaires.answer_weights == {"A": 100, "B": 60, "C": 20, "D": 0}


def test_creating_the_default_questionnaires(client, cast, open_campaign):
    response = _as(client, cast["reform_admin"]).post(_url(open_campaign), {"action": "defaults"})
    assert response.status_code == 302
    questions = Question.objects.filter(questionnaire__campaign=open_campaign)
    assert sorted(questions.values_list("questionnaire__code", "code", "max_points")) == [
        ("DTXHH-agency", "C.1", Decimal(5)),
        ("DTXHH-commune", "C.1", Decimal(5)),
    ]
    page = client.get(_url(open_campaign))
    assert [questionnaire.code for questionnaire in page.context["questionnaires"]] == [
        "DTXHH-agency",
        "DTXHH-commune",
    ]


def test_setting_the_answer_weights(client, cast, open_campaign):
    client = _as(client, cast["reform_admin"])
    data = {
        "action": "weights",
        "letter-0": "a",
        "weight-0": "100",
        "letter-1": "B",
        "weight-1": "50,5",
        "letter-2": "C",
        "weight-2": "0",
        "letter-3": "",
        "weight-3": "",
        "basis": "Quyết định số 7/QĐ-UBND",
    }
    assert client.post(_url(open_campaign), data).status_code == 302
    open_campaign.refresh_from_db()
    assert open_campaign.answer_weights == {"A": 100, "B": 50.5, "C": 0}
    assert open_campaign.answer_weights_basis == "Quyết định số 7/QĐ-UBND"


@pytest.mark.parametrize(
    "rows",
    [
        {"letter-0": "A", "weight-0": "150"},  # above 100
        {"letter-0": "A", "weight-0": "10", "letter-1": "a", "weight-1": "20"},  # twice
        {"letter-0": "A", "weight-0": ""},  # no weight
        {"letter-0": "A", "weight-0": "nhiều"},  # not a number
    ],
)
def test_bad_weights_change_nothing(client, cast, open_campaign, rows):
    response = _as(client, cast["reform_admin"]).post(_url(open_campaign), {"action": "weights", **rows})
    assert response.status_code == 400
    open_campaign.refresh_from_db()
    assert open_campaign.answer_weights == {"A": 100, "B": 60, "C": 20, "D": 0}


def test_importing_answers_changes_the_survey_scores(client, cast, with_questionnaires):
    before = _justice(with_questionnaires, cast)
    assert before.max_points == Decimal(20)  # nobody answered: the survey leaf is left out
    content = ANSWERS_HEADER + (
        "DTXHH-agency,P1,99.STP,C.1,A\n"  # 100 %
        "DTXHH-agency,P2,99.STP,C.1,B\n"  # 60 %
        "DTXHH-agency,P3,99.STP,C.1,c\n"  # 20 %
        "DTXHH-commune,P1,99002,C.1,D\n"
    )
    response = _as(client, cast["reform_admin"]).post(
        _url(with_questionnaires),
        {"action": "import", "file": uploaded("tra-loi.csv", content.encode())},
    )
    assert response.status_code == 302
    after = _justice(with_questionnaires, cast)
    assert after.max_points == Decimal(25)
    assert after.score - before.score == Decimal(3)  # 5 points × the mean weight of 60 %
    assert SurveyAnswer.objects.filter(channel=AnswerChannel.IMPORT).count() == 4
    page = client.get(_url(with_questionnaires))
    table = {line["unit"].code: line for line in page.context["unit_table"]}
    assert (table["99.STP"]["forms"], table["99002"]["forms"], table["99001"]["forms"]) == (3, 1, 0)
    assert table["99.STP"]["points"] == Decimal(3)


def test_a_bad_answers_file_lists_its_rows_and_saves_nothing(client, cast, with_questionnaires):
    content = ANSWERS_HEADER + (
        "DTXHH-agency,P1,99.STP,C.1,A\n"
        "DTXHH-agency,P2,99.STP,C.1,Z\n"  # row 3: no such answer
        "DTXHH-agency,P3,12345,C.1,A\n"  # row 4: unit not scored
        "DTXHH-agency,P4,99.STP,9.9,A\n"  # row 5: no such question
    )
    response = _as(client, cast["reform_admin"]).post(
        _url(with_questionnaires),
        {"action": "import", "file": uploaded("tra-loi.csv", content.encode())},
    )
    assert response.status_code == 400
    problems = [(row, column) for row, column, _message in response.context["import_errors"]]
    assert problems == [(3, "answer"), (4, "unit_code"), (5, "question_code")]
    assert not SurveyAnswer.objects.exists()


def test_entering_a_paper_form(client, cast, with_questionnaires):
    client = _as(client, cast["reform_admin"])
    questionnaire = with_questionnaires.questionnaires.get(code="DTXHH-agency")
    page = client.get(_url(with_questionnaires), {"questionnaire": questionnaire.pk})
    form = page.context["response_form"]
    assert form.questionnaire == questionnaire
    assert {pk for pk, _name in form.fields["unit"].choices if pk} == {
        cast["justice"].pk,
        cast["home_affairs"].pk,
    }
    question = questionnaire.questions.get()
    data = {
        "action": "response",
        "questionnaire": questionnaire.pk,
        "unit": cast["justice"].pk,
        "respondent": "PG-017",
        f"answer_{question.pk}": "B",
    }
    response = client.post(_url(with_questionnaires), data)
    assert response.status_code == 302
    saved = SurveyAnswer.objects.get()
    assert (saved.unit, saved.respondent, saved.answer, saved.channel) == (
        cast["justice"],
        "PG-017",
        "B",
        AnswerChannel.ONLINE,
    )
    assert saved.entered_by == cast["reform_admin"]
    assert _justice(with_questionnaires, cast).max_points == Decimal(25)


def test_a_form_about_a_unit_of_the_wrong_type_or_without_answers_is_refused(
    client, cast, with_questionnaires
):
    client = _as(client, cast["reform_admin"])
    questionnaire = with_questionnaires.questionnaires.get(code="DTXHH-agency")
    question = questionnaire.questions.get()
    base = {"action": "response", "questionnaire": questionnaire.pk, "respondent": "PG-1"}
    wrong_unit = client.post(
        _url(with_questionnaires), {**base, "unit": cast["west_commune"].pk, f"answer_{question.pk}": "A"}
    )
    assert wrong_unit.status_code == 400
    assert "unit" in wrong_unit.context["response_form"].errors
    empty = client.post(_url(with_questionnaires), {**base, "unit": cast["justice"].pk})
    assert empty.status_code == 400
    assert not SurveyAnswer.objects.exists()


def test_once_the_results_are_fixed_nothing_changes(client, cast, with_questionnaires):
    campaign = move_to(with_questionnaires, Phase.FINALISATION, None)
    client = _as(client, cast["reform_admin"])
    page = client.get(_url(campaign))
    assert page.status_code == 200
    assert page.context["open"] is False
    response = client.post(_url(campaign), {"action": "weights", "letter-0": "A", "weight-0": "90"})
    assert response.status_code == 400
    campaign.refresh_from_db()
    assert campaign.answer_weights["A"] == 100
    content = ANSWERS_HEADER + "DTXHH-agency,P1,99.STP,C.1,A\n"
    response = client.post(_url(campaign), {"action": "import", "file": uploaded("a.csv", content.encode())})
    assert response.status_code == 400
    assert not SurveyAnswer.objects.exists()


def test_an_unknown_action_is_a_bad_request(client, cast, open_campaign):
    assert _as(client, cast["reform_admin"]).post(_url(open_campaign), {"action": "xoa"}).status_code == 400
