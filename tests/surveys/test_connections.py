"""The survey and feedback metrics feed plan targets and PAR Index criteria."""

from decimal import Decimal

import pytest

from cchc.core.periods import Period
from cchc.parindex.services import criteria
from cchc.plans.models import ReformArea
from cchc.plans.queries import read_target
from cchc.plans.services import plans as plan_services
from cchc.surveys.models import UnitQuota
from cchc.surveys.services import sipas
from tests.surveys.conftest import YEAR, satisfied_answers


def test_a_plan_target_on_satisfaction_fills_its_own_value(cast, sipas_campaign):
    for level in (5, 5, 5, 2):
        token = UnitQuota.objects.get(campaign=sipas_campaign, unit=cast["west_commune"]).link_token
        sipas.submit_web_response(link_token=token, answers=satisfied_answers(level))
    admin = cast["reform_admin"]
    plan = plan_services.create_plan(
        actor=admin, issuing_unit=cast["province"], title="KH CCHC 2026", year_from=YEAR
    )
    area = plan_services.add_area(
        actor=admin, plan=plan, title="", reform_area=ReformArea.objects.get(code="tthc"), order=1
    )
    target = plan_services.add_target(
        actor=admin,
        plan=plan,
        area=area,
        code="CT9",
        text="Mức độ hài lòng đạt tối thiểu 91%",
        comparator=">=",
        value="91",
        unit="%",
        data_source="surveys.sipas_overall",
    )
    reading = read_target(target, cast["west_commune"], Period.parse(str(YEAR)))
    assert reading.value == Decimal(75)  # three of four respondents satisfied on every element
    assert read_target(target, cast["justice"], Period.parse(str(YEAR))).value is None  # nobody answered


@pytest.mark.parametrize(
    "key", ["surveys.feedback_on_time", "surveys.feedback_satisfied", "surveys.sipas_overall"]
)
def test_par_index_criteria_can_read_the_survey_metrics(cast, key):
    rows = (
        "code,parent_code,title,max_points,method,threshold,evidence_required,not_applicable_rule,metric\n"
        "1,,Sự hài lòng,2,,,,,\n"
        f"1.1,1,Chỉ số,2,metric,90,0,exclude,{key}\n"
    )
    criteria_set = criteria.import_criteria(
        actor=None, content=rows.encode(), filename="hl.csv", year=2026, unit_type="commune"
    )
    assert criteria_set.criteria.get(code="1.1").metric == key
