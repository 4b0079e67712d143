"""The demo's data files: every unit, kind and procedure they name exists, so an edit cannot break a load."""

from cchc.demo.datafiles import read
from cchc.demo.feedback import feedback_topics
from cchc.demo.onestop import procedure_records
from cchc.plans.models import Comparator, ReformArea
from cchc.surveys.models import FeedbackKind


def _agency_codes() -> set[str]:
    """Agency codes and sub-unit codes ("VP.TTHCC") of units.yaml."""
    codes = set()
    for agency in read("units")["agencies"]:
        codes.add(agency["code"])
        codes.update(f"{agency['code']}.{sub['code']}" for sub in agency["subunits"])
    return codes


def test_plan_tasks_and_inspections_name_agencies_of_the_province():
    agencies = _agency_codes()
    tasks = read("plans")["tasks"]
    assert tasks
    for task in tasks:
        assert task["lead"] in agencies, task["text"]
        assert set(task["coordinating"]) <= agencies, task["text"]
    # The inspections and the demo's people pick these agencies by code.
    assert {"STP", "SXD", "SNNMT", "SYT", "SCT"} <= agencies
    for person in read("people")["people"]:
        for role in person["roles"]:
            assert role["unit"] in ("province", *agencies) or role["unit"].startswith("commune:"), person[
                "username"
            ]


def test_targets_and_tasks_use_known_areas_and_comparators(db):
    areas = set(ReformArea.objects.values_list("code", flat=True))
    plan = read("plans")
    for target in plan["targets"]:
        assert target["area"] in areas, target["code"]
        assert target["comparator"] in Comparator.values, target["code"]
        float(target["value"])  # an int or a decimal written as text, as the plan service reads it
    assert {task["area"] for task in plan["tasks"]} <= areas


def test_feedback_topics_are_either_answered_or_refused_and_name_known_units():
    agencies = _agency_codes()
    topics = feedback_topics()
    assert {topic.kind for topic in topics} == set(FeedbackKind.values)
    procedures = {record["code"] for record in procedure_records()}
    for topic in topics:
        assert bool(topic.answer) != bool(topic.refusal), topic.title
        assert topic.target == "commune" or topic.target in agencies, topic.title
        # So that the demo's feedback is about procedures the province actually has.
        assert not topic.procedure or topic.procedure in procedures, topic.title
    assert any(topic.refusal for topic in topics) and any(topic.info for topic in topics)


def test_survey_fields_are_given_for_agencies_of_the_province():
    sipas = read("sipas")
    assert set(sipas["agency_fields"]) <= _agency_codes()
    assert all(weight > 0 for weight in sipas["commune_fields"].values())
    assert "{year}" in sipas["title"]
