"""The demo's SIPAS surveys: last year's campaign carried to its close, this year's still collecting.

The survey firm's spreadsheet of 2025 forms is imported in one go (the forms answered online that year
came from the firm's own web form and are in the same file: the public form of this system only takes
answers on the day it is used); units typed some paper forms and phone interviews in themselves. In
2026 the import covers the forms collected so far, and citizens answer on the public form today, a few
with invitation codes printed on their receipts. The comments respondents write and the fields of the
procedures they used are in `data/sipas.yaml`.
"""

import csv
import datetime
import io
import random
from dataclasses import dataclass, field

from django.db import transaction

from cchc.demo import clock
from cchc.demo.datafiles import read
from cchc.demo.survey_people import CURRENT_YEAR, PAST_YEAR, People, working_days
from cchc.surveys.models import (
    CampaignStatus,
    QuestionKind,
    ResponseChannel,
    SurveyCampaign,
    UnitQuota,
)
from cchc.surveys.services import sipas
from cchc.surveys.services.imports import import_responses
from cchc.surveys.services.sipas import OPTIONAL_RESPONSE_COLUMNS, RESPONSE_COLUMNS
from cchc.units.models import Unit, UnitType

PAST_CODE, CURRENT_CODE = f"SIPAS-{PAST_YEAR}", f"SIPAS-{CURRENT_YEAR}"

# The reform office's sample per unit: smaller than the template's defaults, which suit a survey firm.
DEMO_QUOTAS = {"Phường": 40, "Xã": 30, "Đặc khu": 15}
AGENCY_QUOTA = 40
SHORT_OF_QUOTA = 0.15  # share of units whose forms fall short of the quota
# How each element fares against the unit's general level: online services (PA) clearly weaker.
ELEMENT_SHIFT = {"TC": 0.02, "TT": -0.02, "CC": 0.0, "KQ": 0.01, "PA": -0.16}
POLICY_SHIFT = -0.08
POLICY_ANSWERED = 0.55  # share of respondents who rate the policy groups
NOT_USED = 0.3  # share who did not use online services (when the questionnaire lets them say so)
COMMENTED = 0.08


@dataclass
class Block:
    """One element of the questionnaire as the generator sees it."""

    code: str
    policy: bool
    satisfaction: str
    optional: bool  # the satisfaction question may be left out (with "not used" in the perceptions)
    perceptions: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass
class Questionnaire:
    blocks: list[Block]
    choices: list[tuple[str, list[str]]]  # expectation questions
    open: list[str]


def _questionnaire(campaign: SurveyCampaign) -> Questionnaire:
    blocks: dict[int, Block] = {}
    result = Questionnaire(blocks=[], choices=[], open=[])
    for question in campaign.questions.select_related("element").order_by("position"):
        element = question.element
        if element is None:
            if question.kind == QuestionKind.EXPECTATION and question.options:
                result.choices.append((question.code, list(question.options)))
            elif question.kind == QuestionKind.OPEN:
                result.open.append(question.code)
            continue
        block = blocks.get(element.pk)
        if block is None:
            block = blocks[element.pk] = Block(
                code=element.code, policy=element.kind == "policy", satisfaction="", optional=True
            )
            result.blocks.append(block)
        if question.kind == QuestionKind.SATISFACTION:
            block.satisfaction, block.optional = question.code, not question.required
        elif question.kind == QuestionKind.PERCEPTION and len(question.options) >= 2:
            block.perceptions.append((question.code, list(question.options)))
    result.blocks = [block for block in result.blocks if block.satisfaction]
    return result


def _level(unit: Unit, year: int) -> float:
    """How satisfied a unit's visitors are, the same every time: most units do well, a few clearly less."""
    rng = random.Random(f"sipas-level-{unit.code}")
    level = rng.uniform(0.66, 0.8) if rng.random() < 0.15 else rng.uniform(0.86, 0.97)
    if year > PAST_YEAR:
        level += random.Random(f"sipas-drift-{year}-{unit.code}").uniform(-0.02, 0.04)
    return min(level, 0.98)


def _score(chance: float, rng: random.Random) -> int:
    if rng.random() < chance:
        return 5 if rng.random() < 0.55 else 4
    return rng.choices((3, 2, 1), weights=(6, 3, 1))[0]


def _form(questionnaire: Questionnaire, level: float, rng: random.Random) -> dict[str, str]:
    """One respondent's answers by question code."""
    answers: dict[str, str] = {}
    scores = []
    for block in questionnaire.blocks:
        if block.policy:
            if rng.random() >= POLICY_ANSWERED:
                continue
            chance = level + POLICY_SHIFT
        else:
            chance = level + ELEMENT_SHIFT.get(block.code, 0.0)
        not_used = [options[2] for _code, options in block.perceptions if len(options) > 2]
        if block.optional and not_used and rng.random() < NOT_USED:
            answers |= {code: options[2] for code, options in block.perceptions if len(options) > 2}
            continue
        score = _score(chance, rng)
        agree = 0.93 if score >= 4 else 0.5 if score == 3 else 0.2
        for code, options in block.perceptions:
            answers[code] = options[0] if rng.random() < agree else options[1]
        answers[block.satisfaction] = str(score)
        if not block.policy:
            scores.append(score)
    unhappy = any(score <= 3 for score in scores)
    for code, options in questionnaire.choices:
        weights = ((4, 2, 3, 2, 1) if unhappy else (3, 3, 1, 3, 2)) if len(options) == 5 else None
        answers[code] = rng.choices(options, weights=weights)[0]
    for code in questionnaire.open:
        if rng.random() < COMMENTED:
            comments = read("sipas")
            answers[code] = rng.choice(
                comments["complaints"]
                if unhappy
                else comments["praise"]
                if rng.random() < 0.6
                else comments["suggestions"]
            )
    return answers


def _fields(unit: Unit) -> tuple[list[str], list[int] | None]:
    texts = read("sipas")
    if unit.type == UnitType.COMMUNE:
        return list(texts["commune_fields"]), list(texts["commune_fields"].values())
    return list(texts["agency_fields"].get(unit.code.rsplit(".", 1)[-1], [""])), None


def _demo_quota(unit: Unit) -> int:
    return AGENCY_QUOTA if unit.type == UnitType.AGENCY else DEMO_QUOTAS.get(unit.kind, 30)


@dataclass
class Entry:
    """A form typed in by staff (paper or phone) or answered on the public form."""

    unit: Unit
    answers: dict[str, str]
    channel: str
    day: datetime.date
    code: str
    field: str
    invitation: bool = False


def _new_campaign(people: People, organiser: Unit, year: int, code: str) -> SurveyCampaign:
    campaign = sipas.new_campaign(
        actor=people.planner,
        organiser=organiser,
        template="sipas",
        year=year,
        code=code,
        title=read("sipas")["title"].format(year=year),
    )
    for quota in campaign.quotas.select_related("unit"):
        sipas.set_quota(actor=people.planner, quota=quota, value=_demo_quota(quota.unit))
    return sipas.set_status(actor=people.planner, campaign=campaign, status=CampaignStatus.OPEN)


def _collect(
    campaign: SurveyCampaign, last_day: datetime.date, *, current: bool
) -> tuple[list[list[str]], list[Entry]]:
    """The rows of the firm's spreadsheet and the forms entered one by one, for every surveyed unit."""
    questionnaire = _questionnaire(campaign)
    short = f"{campaign.year % 100:02d}"
    rows: list[list[str]] = []
    entries: list[Entry] = []
    web_today = current and campaign.starts_on is not None and campaign.starts_on <= clock.today()
    web_today = web_today and clock.today() <= last_day
    calendars: dict[datetime.date, list[datetime.date]] = {}
    quotas = campaign.quotas.select_related("unit").order_by("unit__path")
    for position, quota in enumerate(quotas):
        unit = quota.unit
        rng = random.Random(f"sipas-forms-{campaign.year}-{unit.code}")
        level = _level(unit, campaign.year)
        if current:
            count = rng.randint(8, 22) if rng.random() >= SHORT_OF_QUOTA else rng.randint(3, 7)
        elif rng.random() >= SHORT_OF_QUOTA:
            count = quota.quota + rng.randint(0, 16)
        else:
            count = max(4, quota.quota - rng.randint(4, 14))
        first = max(campaign.starts_on or last_day, unit.valid_from or last_day)
        days = calendars.setdefault(first, working_days(min(first, last_day), last_day))
        fields, weights = _fields(unit)
        invited = current and position % 5 == 0
        for number in range(1, count + 1):
            answers = _form(questionnaire, level, rng)
            day = rng.choice(days)
            field_name = rng.choices(fields, weights=weights)[0]
            draw = rng.random()
            if draw < 0.08:
                channel = ResponseChannel.PAPER if rng.random() < 0.7 else ResponseChannel.PHONE
                prefix = "PG" if channel == ResponseChannel.PAPER else "DT"
                code = f"{prefix}{short}-{unit.code}-{number:03d}"
                entries.append(Entry(unit, answers, channel, day, code, field_name))
                continue
            if draw < 0.2 and web_today:
                entries.append(
                    Entry(unit, answers, ResponseChannel.WEB, day, "", field_name, invitation=invited)
                )
                continue
            channel = ResponseChannel.WEB if draw < 0.2 else ResponseChannel.IMPORT
            code = f"{'TT' if channel == ResponseChannel.WEB else 'KS'}{short}-{unit.code}-{number:03d}"
            rows += [
                [campaign.code, code, unit.code, question, value, day.isoformat(), field_name, channel]
                for question, value in answers.items()
            ]
    return rows, entries


def _import(people: People, campaign: SurveyCampaign, rows: list[list[str]], name: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*RESPONSE_COLUMNS, *OPTIONAL_RESPONSE_COLUMNS])
    writer.writerows(rows)
    import_responses(actor=people.planner, content=buffer.getvalue().encode("utf-8"), filename=name)


def _enter(people: People, campaign: SurveyCampaign, entries: list[Entry]) -> None:
    invitations: dict[int, list[str]] = {}
    for entry in entries:
        if entry.channel != ResponseChannel.WEB:
            sipas.enter_response(
                actor=people.handler(entry.unit),
                campaign=campaign,
                unit=entry.unit,
                answers=entry.answers,
                channel=entry.channel,
                answered_on=entry.day,
                response_code=entry.code,
                field=entry.field,
            )
            continue
        code = ""
        if entry.invitation:
            if entry.unit.pk not in invitations:
                created = sipas.create_invitations(
                    actor=people.handler(entry.unit), campaign=campaign, unit=entry.unit, count=30
                )
                invitations[entry.unit.pk] = [invitation.code for invitation in created]
            code = invitations[entry.unit.pk].pop()
        link = UnitQuota.objects.get(campaign=campaign, unit=entry.unit).link_token
        sipas.submit_web_response(
            link_token=link, answers=entry.answers, invitation_code=code, field=entry.field
        )


@transaction.atomic
def past_campaign(people: People, organiser: Unit) -> SurveyCampaign:
    """Last year's campaign: opened, every surveyed unit answered for, closed."""
    campaign = _new_campaign(people, organiser, PAST_YEAR, PAST_CODE)
    rows, entries = _collect(campaign, campaign.ends_on or datetime.date(PAST_YEAR, 12, 31), current=False)
    _import(people, campaign, rows, f"phieu-khao-sat-sipas-{PAST_YEAR}.csv")
    _enter(people, campaign, entries)
    return sipas.set_status(actor=people.planner, campaign=campaign, status=CampaignStatus.CLOSED)


@transaction.atomic
def current_campaign(people: People, organiser: Unit) -> SurveyCampaign:
    """This year's campaign, open, with the forms collected so far."""
    campaign = _new_campaign(people, organiser, CURRENT_YEAR, CURRENT_CODE)
    ends_on = campaign.ends_on or datetime.date(CURRENT_YEAR, 12, 31)
    rows, entries = _collect(campaign, min(ends_on, clock.today()), current=True)
    _import(people, campaign, rows, f"phieu-khao-sat-sipas-{CURRENT_YEAR}-dot-1.csv")
    _enter(people, campaign, entries)
    return campaign
