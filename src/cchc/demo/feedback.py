"""The demo's citizen feedback (PAKN): a year of it, in every state of its handling.

Feedback is received with its real (past) time of receipt, but the later steps (routing, answers,
publication, ratings) happen when the loader runs, because the services stamp each step with the
present moment. Feedback received more than the allowed working days ago is therefore handled late; the
stream is denser in the last weeks, so the demo shows on-time and late handling side by side. What the
citizens and the units write is in `data/feedback.yaml`; which stories are told, and how often, is here.
"""

import csv
import datetime
import io
import itertools
import random
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cchc.demo import clock
from cchc.demo.datafiles import read
from cchc.demo.survey_people import CURRENT_YEAR, People, working_days, working_days_back
from cchc.surveys.models import Feedback, FeedbackChannel, FeedbackKind, FeedbackRating
from cchc.surveys.services import feedback as feedback_services
from cchc.surveys.services.feedback_import import COLUMNS as FEEDBACK_COLUMNS
from cchc.surveys.services.feedback_import import import_feedback
from cchc.units.models import Unit, UnitType
from cchc.workdays.calendar import is_working_day


@dataclass
class Topic:
    kind: str
    target: str  # "commune", or the code suffix of the responsible agency ("STP", "VP.TTHCC")
    title: str
    content: str
    answer: str = ""  # {unit} is the responsible unit's name
    refusal: str = ""  # set for feedback that is refused, not answered
    procedure: str = ""
    info: str = ""  # what the handler asks for when it needs more information


def feedback_topics() -> list[Topic]:
    """The kinds of feedback the stream draws from, as in `data/feedback.yaml`."""
    return [Topic(**{**entry, "kind": FeedbackKind(entry["kind"])}) for entry in read("feedback")["topics"]]


# (story, how many, age in working days as (youngest, oldest); None: before the answer deadline, from
# January on). The stories are played in `_play`.
STORIES: list[tuple[str, int, tuple[int, int] | None]] = [
    ("received", 5, (0, 1)),
    ("received", 1, None),
    ("routed", 7, (0, 12)),
    ("routed", 3, None),
    ("info_requested", 4, (1, 4)),
    ("info_requested", 1, (6, 9)),
    ("info_received", 3, (2, 4)),
    ("info_answered", 2, (3, 5)),
    ("refused_on_receipt", 2, (0, 2)),
    ("refused", 2, (3, 8)),
    ("refused", 1, None),
    ("answered", 8, (3, 14)),
    ("answered", 3, None),
    ("published", 8, (3, 14)),
    ("published", 3, None),
    ("closed", 8, (5, 14)),
    ("closed", 22, None),
    ("reopened", 3, (5, 14)),
    ("reopened_answered", 1, (8, 14)),
    ("refused_reopened", 1, (3, 6)),
]
ANSWER_DAYS = 15  # feedback older than this many working days is past its answer deadline
CHANNELS = (FeedbackChannel.WEB, FeedbackChannel.STAFF, FeedbackChannel.IMPORT)


@dataclass
class Planned:
    story: str
    topic: Topic
    unit: Unit  # the responsible unit
    channel: str
    received_at: datetime.datetime
    consent: bool
    code: str = ""  # the code in the national system, for imported feedback


def _feedback_units(organiser: Unit) -> tuple[dict[str, Unit], list[Unit], list[Unit]]:
    """Agencies by code suffix (sub-units as "VP.TTHCC"), all agencies, and the communes."""
    units = Unit.objects.subtree(organiser).filter(valid_to__isnull=True).exclude(pk=organiser.pk)
    by_suffix, agencies, communes = {}, [], []
    for unit in units.order_by("path"):
        if unit.type == UnitType.COMMUNE:
            communes.append(unit)
            continue
        if unit.type == UnitType.AGENCY:
            agencies.append(unit)
        if unit.code.startswith(f"{organiser.code}."):
            by_suffix[unit.code.removeprefix(f"{organiser.code}.")] = unit
    return by_suffix, agencies, communes


def _responsible(
    topic: Topic, units: tuple[dict[str, Unit], list[Unit], list[Unit]], people: People, rng: random.Random
) -> Unit:
    """The unit a topic is about: the agency it names, or a commune (the demo people's own more often)."""
    by_suffix, agencies, communes = units
    focal = people.focal
    if topic.target != "commune" and topic.target in by_suffix:
        return by_suffix[topic.target]
    if topic.target == "commune" and communes:
        weights = [8 if unit.pk in focal else 3 if unit.kind == "Phường" else 1 for unit in communes]
        return rng.choices(communes, weights=weights)[0]
    return rng.choice(agencies or communes or [people.organiser])


def _received_at(ages: tuple[int, int] | None, rng: random.Random, office_hours: bool) -> datetime.datetime:
    """A moment of receipt `ages` working days ago; feedback entered by staff comes on a working day."""
    now = clock.now()
    today = now.date()
    if ages is None:
        latest = working_days_back(today, ANSWER_DAYS + 1)
        first = min(datetime.date(CURRENT_YEAR, 1, 5), latest)
        day = rng.choice(working_days(first, latest))
    else:
        day = working_days_back(today, rng.randint(*ages))
        if office_hours and not is_working_day(day):
            day = working_days_back(day, 1)
    moment = datetime.datetime.combine(day, datetime.time(rng.randint(7, 16), rng.randint(0, 59)))
    received = timezone.make_aware(moment)
    if received >= now:
        received = now - datetime.timedelta(minutes=rng.randint(5, 120))
    return received


def _plans(people: People) -> list[Planned]:
    organiser = people.organiser
    rng = random.Random(f"feedback-{CURRENT_YEAR}-{organiser.code}")
    kinds = feedback_topics()
    answered = [topic for topic in kinds if not topic.refusal]
    refused = [topic for topic in kinds if topic.refusal]
    rng.shuffle(answered)
    rng.shuffle(refused)
    topics = {"answered": itertools.cycle(answered), "refused": itertools.cycle(refused)}
    units = _feedback_units(organiser)
    plans = []
    for story, count, ages in STORIES:
        for _number in range(count):
            topic = next(topics["refused" if story.startswith("refused") else "answered"])
            channel = rng.choices(CHANNELS, weights=(5, 2, 3))[0]
            plans.append(
                Planned(
                    story=story,
                    topic=topic,
                    unit=_responsible(topic, units, people, rng),
                    channel=channel,
                    received_at=_received_at(ages, rng, office_hours=channel == FeedbackChannel.STAFF),
                    consent=story == "published" or rng.random() < 0.45,
                )
            )
    plans.sort(key=lambda plan: plan.received_at)
    for number, plan in enumerate(plans, start=1):
        if plan.channel == FeedbackChannel.IMPORT:
            plan.received_at = plan.received_at.replace(second=0, microsecond=0)
            plan.code = f"PAKN-{organiser.code}-{plan.received_at:%y%m%d}-{number:03d}"
    return plans


def _unrouted(plan: Planned) -> bool:
    """Whether the feedback arrives without a responsible unit (the reform office routes it)."""
    return plan.channel == FeedbackChannel.WEB or plan.story in ("received", "refused_on_receipt")


def _texts(plan: Planned) -> tuple[str, str]:
    return plan.topic.title.format(unit=plan.unit.name), plan.topic.content.format(unit=plan.unit.name)


def _import_feedback(people: People, organiser: Unit, plans: list[Planned]) -> dict[str, Feedback]:
    """The feedback forwarded from the national system, imported from its export in one go."""
    imported = [plan for plan in plans if plan.channel == FeedbackChannel.IMPORT]
    if not imported:
        return {}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*FEEDBACK_COLUMNS, "unit_code", "procedure_code", "consent_to_publish"])
    for plan in imported:
        title, content = _texts(plan)
        writer.writerow(
            [
                plan.code,
                f"{timezone.localtime(plan.received_at):%Y-%m-%d %H:%M}",
                plan.topic.kind,
                title,
                content,
                "" if _unrouted(plan) else plan.unit.code,
                plan.topic.procedure,
                "có" if plan.consent else "",
            ]
        )
    import_feedback(
        actor=people.planner,
        organiser=organiser,
        content=buffer.getvalue().encode("utf-8"),
        filename=f"pakn-tu-he-thong-quoc-gia-{CURRENT_YEAR}.csv",
    )
    return {
        feedback.external_code: feedback
        for feedback in Feedback.objects.filter(
            organiser=organiser, external_code__in=[plan.code for plan in imported]
        )
    }


def _receive(people: People, organiser: Unit, plan: Planned) -> Feedback:
    title, content = _texts(plan)
    web = plan.channel == FeedbackChannel.WEB
    unit = None if _unrouted(plan) else plan.unit
    return feedback_services.receive_feedback(
        actor=None if web else people.handler(unit),
        organiser=organiser,
        kind=plan.topic.kind,
        title=title,
        content=content,
        consent_to_publish=plan.consent,
        procedure_code=plan.topic.procedure,
        unit=unit,
        channel=plan.channel,
        received_at=plan.received_at,
    )


def _play(people: People, plan: Planned, feedback: Feedback, rng: random.Random) -> None:
    """The steps of one story, taken now by the people who would take them."""
    services, story, unit = feedback_services, plan.story, plan.unit
    texts = read("feedback")
    planner = people.planner
    if story == "received":
        return
    if story == "refused_on_receipt":
        services.refuse_feedback(actor=planner, feedback=feedback, reason=plan.topic.refusal)
        return
    if feedback.unit is None:
        feedback = services.route_feedback(actor=planner, feedback=feedback, unit=unit)
    handler = people.handler(unit)
    if story == "routed":
        return
    if story.startswith("refused"):
        feedback = services.refuse_feedback(actor=handler, feedback=feedback, reason=plan.topic.refusal)
        if story == "refused_reopened":
            services.reopen_feedback(receipt_code=feedback.receipt_code, reason=texts["reopen_reasons"][2])
        return
    if story.startswith("info_"):
        feedback = services.request_information(
            actor=handler, feedback=feedback, text=plan.topic.info or texts["generic_info"]
        )
        if story == "info_requested":
            return
        feedback = services.information_received(actor=handler, feedback=feedback)
        if story == "info_received":
            return
    feedback = services.answer_feedback(
        actor=handler, feedback=feedback, text=plan.topic.answer.format(unit=unit.name)
    )
    code = feedback.receipt_code
    if story.startswith("reopened"):
        services.rate_answer(receipt_code=code, rating=FeedbackRating.UNSATISFIED)
        feedback = services.reopen_feedback(receipt_code=code, reason=rng.choice(texts["reopen_reasons"][:2]))
        if story == "reopened_answered":
            services.answer_feedback(
                actor=handler, feedback=feedback, text=texts["second_answer"].format(unit=unit.name)
            )
        return
    if feedback.consent_to_publish and (story == "published" or (story == "closed" and rng.random() < 0.8)):
        feedback = services.publish_answer(actor=handler, feedback=feedback)
    draw = rng.random()
    satisfied, unsatisfied = (0.65, 0.15) if story == "closed" else (0.4, 0.1)
    if draw < satisfied:
        services.rate_answer(receipt_code=code, rating=FeedbackRating.SATISFIED)
    elif draw < satisfied + unsatisfied:
        services.rate_answer(receipt_code=code, rating=FeedbackRating.UNSATISFIED)
    if story == "closed":
        services.close_feedback(actor=planner, feedback=feedback)


@transaction.atomic
def feedback_stream(people: People, organiser: Unit) -> Counter[str]:
    plans = _plans(people)
    imported = _import_feedback(people, organiser, plans)
    rng = random.Random(f"feedback-steps-{CURRENT_YEAR}-{organiser.code}")
    for plan in plans:
        feedback = imported[plan.code] if plan.code else _receive(people, organiser, plan)
        _play(people, plan, feedback, rng)
    return Counter(Feedback.objects.filter(organiser=organiser).values_list("status", flat=True))
