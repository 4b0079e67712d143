"""The demo's surveys: last year's SIPAS campaign carried to its close, this year's still collecting, and a
year of citizen feedback (PAKN) in every state of its handling.

Everything goes through the services, as the people in the story would have done it (`sipas` for the
campaigns, `feedback` for the feedback stream, `survey_people` for who acts).

Deterministic: every unit and every feedback draws from seeded generators, so the same units always
get the same answers whatever else the database holds. Safe to run again: a campaign that exists is left
as it is, and the feedback stream is only loaded when the province has no feedback yet.
"""

from dataclasses import dataclass
from typing import Any

from cchc.demo.feedback import feedback_stream
from cchc.demo.sipas import CURRENT_CODE, PAST_CODE, current_campaign, past_campaign
from cchc.demo.survey_people import find_people
from cchc.surveys.models import Feedback, SurveyCampaign
from cchc.units.models import Unit

__all__ = ["CURRENT_CODE", "PAST_CODE", "Loaded", "load_demo_surveys"]


@dataclass
class Loaded:
    past: SurveyCampaign
    current: SurveyCampaign
    feedback: int  # feedback of the organiser after loading
    created: bool  # False when everything was already there


def load_demo_surveys(*, actor: Any, organiser: Unit) -> Loaded:
    """Both SIPAS campaigns of the organiser and its feedback stream; parts already there are kept."""
    people = find_people(actor, organiser)
    created = False
    past = SurveyCampaign.objects.filter(code=PAST_CODE).first()
    if past is None:
        past = past_campaign(people, organiser)
        created = True
    current = SurveyCampaign.objects.filter(code=CURRENT_CODE).first()
    if current is None:
        current = current_campaign(people, organiser)
        created = True
    if not Feedback.objects.filter(organiser=organiser).exists():
        feedback_stream(people, organiser)
        created = True
    return Loaded(
        past=past,
        current=current,
        feedback=Feedback.objects.filter(organiser=organiser).count(),
        created=created,
    )
