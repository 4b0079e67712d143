"""The demo's PAR Index: last year's campaign carried through to publication, this year's under appraisal.

Everything goes through the services, as the people in the story would have done it: each unit scores
itself leaf by leaf (mostly well, a few units clearly weaker), attaches a few evidence files and its
leader submits; the appraisers accept most scores, lower some with a reason, and score the automatic
leaves the system had no 2025 records for; some units explain once and get a final answer; citizens'
survey forms are imported; the results are fixed and published. This year's campaign stops in the
appraisal phase with part of the work done. Deterministic: every unit draws from its own seeded
generator, so the same units always get the same scores whatever else the database holds.

Phase deadlines are set after the work of each phase, so the loader runs on any day; the past
campaign then carries the dates of a real calendar (self-assessment until mid-January and so on).
"""

import csv
import datetime
import io
import random
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from cchc.accounts.models import Role, RoleAssignment
from cchc.parindex.models import (
    COMPUTED,
    Assessment,
    AssessmentStatus,
    Band,
    Campaign,
    CriteriaSet,
    Item,
    Method,
    Phase,
)
from cchc.parindex.services import bands as band_services
from cchc.parindex.services import campaigns as campaign_services
from cchc.parindex.services import criteria as criteria_services
from cchc.parindex.services import items as item_services
from cchc.parindex.services import survey as survey_services
from cchc.units.models import Unit, UnitType

PAST_YEAR, CURRENT_YEAR = 2025, 2026
SELF_SCORED = [method for method in Method.values if method not in COMPUTED]
UNIT_TYPES = (UnitType.AGENCY, UnitType.COMMUNE)
PAST_DECISION = "68/QĐ-UBND"
PAST_DEADLINES = {
    "self_assessment_until": datetime.date(2026, 1, 15),
    "appraisal_until": datetime.date(2026, 2, 10),
    "explanation_until": datetime.date(2026, 2, 27),
    "second_appraisal_until": datetime.date(2026, 3, 10),
    "finalisation_until": datetime.date(2026, 3, 24),
}
PAST_PUBLISHED_ON = datetime.date(2026, 3, 27)
CURRENT_SELF_ASSESSMENT_UNTIL = datetime.date(2026, 11, 10)
CURRENT_APPRAISAL_UNTIL = datetime.date(2026, 12, 15)
QUARTER_STEP = Decimal("0.25")
CENT = Decimal("0.01")
# Automatic leaves whose data only exists in the system from 2026 on: the appraisers scored them
# in 2025 from the units' paper records.
KEPT_ON_PAPER_IN_2025 = ("plans.", "inspections.")
# (unit type, leaf code) -> share of units for which the leaf does not apply (no such task that year).
OFTEN_NOT_APPLICABLE: dict[tuple[str, str], float] = {
    (UnitType.AGENCY, "2.1"): 0.35,
    (UnitType.AGENCY, "3.4"): 0.15,
    (UnitType.AGENCY, "6.2"): 0.3,
    (UnitType.COMMUNE, "3.3"): 0.2,
    (UnitType.COMMUNE, "6.3"): 0.1,
}
ADJUSTMENT_REASONS = [
    "Tài liệu kiểm chứng chưa thể hiện đầy đủ kết quả thực hiện; chỉ chấp nhận một phần điểm tự chấm.",
    "Văn bản được ban hành sau thời hạn quy định; chấm theo mức thực hiện chậm.",
    "Số liệu tự chấm không khớp với báo cáo CCHC năm gửi Sở Nội vụ.",
    "Không có tài liệu kiểm chứng cho phần nội dung đã chấm điểm tối đa.",
    "Một số nhiệm vụ trong kế hoạch chưa hoàn thành theo tiến độ; điều chỉnh điểm tương ứng.",
]
PAPER_REASON = (
    "Năm {year} chưa theo dõi trên hệ thống; tổ thẩm định chấm theo báo cáo năm và hồ sơ lưu của đơn vị."
)
EXPLANATIONS = [
    "Đơn vị bổ sung Quyết định số {number}/QĐ-{short} ngày {day}/12/{year}; đề nghị xem xét lại.",
    "Văn bản đã ban hành đúng hạn, đơn vị gửi kèm bản chụp sổ đăng ký văn bản đi; đề nghị giữ điểm tự chấm.",
    "Số liệu chênh lệch do báo cáo năm chốt sớm; số liệu đầy đủ đến 31/12/{year} đã gửi bổ sung.",
]
SECOND_KEPT = "Giữ nguyên kết quả thẩm định: tài liệu bổ sung được ban hành sau thời điểm đánh giá."
SECOND_RESTORED = "Chấp nhận giải trình; tài liệu bổ sung hợp lệ, công nhận điểm tự đánh giá."


@dataclass
class Loaded:
    past: Campaign
    current: Campaign
    created: bool  # False when both campaigns were already there and nothing was loaded


@dataclass
class Actors:
    planner: Any  # the reform office: opens campaigns, moves phases, enters survey forms
    appraiser: Any
    focal: dict[int, Any]  # unit id -> who enters the unit's scores (None: the system)
    leader: dict[int, Any]  # unit id -> who submits the unit's self-assessment


def load_demo_parindex(*, actor: Any, organiser: Unit) -> Loaded:
    """Criteria sets and bands of both years, the published past campaign and the current one.

    Safe to run again: a year whose campaign exists is left as it is.
    """
    _criteria_sets(actor)
    for year in (PAST_YEAR, CURRENT_YEAR):
        if not Band.objects.filter(year=year).exists():
            band_services.load_default_bands(actor=actor, year=year)
    actors = _actors(actor, organiser)
    created = False
    past = Campaign.objects.filter(organiser=organiser, year=PAST_YEAR).first()
    if past is None:
        past = _past_campaign(actors, organiser)
        created = True
    current = Campaign.objects.filter(organiser=organiser, year=CURRENT_YEAR).first()
    if current is None:
        current = _current_campaign(actors, organiser)
        created = True
    return Loaded(past=past, current=current, created=created)


def _criteria_sets(actor: Any) -> None:
    """The shipped sets for the past year, cloned for the current one (sets already there are kept)."""
    for unit_type in UNIT_TYPES:
        past = CriteriaSet.objects.filter(year=PAST_YEAR, unit_type=unit_type).first()
        if past is None:
            past = criteria_services.load_default_set(actor=actor, year=PAST_YEAR, unit_type=unit_type)
        if not CriteriaSet.objects.filter(year=CURRENT_YEAR, unit_type=unit_type).exists():
            criteria_services.clone_set(actor=actor, source=past, year=CURRENT_YEAR)


def _actors(planner: Any, organiser: Unit) -> Actors:
    """The demo's people where they exist (focal points, leaders, an appraiser), the system elsewhere."""
    focal: dict[int, Any] = {}
    leader: dict[int, Any] = {}
    appraiser = planner
    assignments = RoleAssignment.objects.filter(
        unit__path__startswith=organiser.path, user__is_active=True
    ).select_related("user")
    for assignment in assignments.order_by("user__username"):
        if assignment.role == Role.FOCAL_POINT:
            focal.setdefault(assignment.unit_id, assignment.user)
        elif assignment.role == Role.LEADER:
            leader.setdefault(assignment.unit_id, assignment.user)
        elif (
            assignment.role == Role.APPRAISER and assignment.unit_id == organiser.pk and appraiser is planner
        ):
            appraiser = assignment.user
    return Actors(planner=planner, appraiser=appraiser, focal=focal, leader=leader)


# --- What one unit reports -------------------------------------------------------------------------


def _base_quality(unit: Unit) -> float:
    """How well a unit does its reform work, the same every time: most do well, a few clearly less."""
    rng = random.Random(f"parindex-quality-{unit.code}")
    draw = rng.random()
    if draw < 0.07:
        return rng.uniform(0.5, 0.64)
    if draw < 0.2:
        return rng.uniform(0.66, 0.78)
    return rng.uniform(0.8, 0.98)


def _quality(unit: Unit, year: int) -> float:
    quality = _base_quality(unit)
    if year > PAST_YEAR:
        quality += random.Random(f"parindex-drift-{year}-{unit.code}").uniform(-0.03, 0.06)
    return min(quality, 0.99)


def _unit_rng(unit: Unit, year: int, purpose: str) -> random.Random:
    return random.Random(f"parindex-{purpose}-{year}-{unit.code}")


def _points(value: float, maximum: Decimal) -> Decimal:
    """A share of the maximum, rounded down to a quarter point as appraisers and units write it."""
    share = Decimal(str(min(max(value, 0.0), 1.0)))
    return ((maximum * share) / QUARTER_STEP).to_integral_value(ROUND_DOWN) * QUARTER_STEP


def _report(item: Item, quality: float, rng: random.Random) -> tuple[str, bool, str]:
    """(what the unit enters, not applicable, its note) for a leaf it scores itself."""
    criterion = item.criterion
    year = item.assessment.campaign.year
    unit_type = item.assessment.unit.type
    share_not_applicable = OFTEN_NOT_APPLICABLE.get((unit_type, criterion.code), 0.0)
    if rng.random() < share_not_applicable:
        return "", True, f"Năm {year} đơn vị không được giao nhiệm vụ thuộc tiêu chí này."
    method = criterion.method
    if method == Method.MANUAL:
        share = 1.0 if rng.random() < quality - 0.2 else rng.gauss(quality - 0.1, 0.1)
        points = _points(share, criterion.max_points)
        return str(points), False, f"Kết quả thực hiện nêu tại Báo cáo CCHC năm {year} của đơn vị."
    if method == Method.YES_NO:
        done = rng.random() < 0.5 + 0.5 * quality
        note = "Đã thực hiện đúng quy định." if done else "Chưa thực hiện đầy đủ trong năm."
        return ("có" if done else "không"), False, note
    if method == Method.TIERED:
        tiers = criterion.tiers
        draw = rng.random()
        tier = (
            tiers[0] if draw < quality else tiers[1] if draw < quality + (1 - quality) * 0.75 else tiers[-1]
        )
        return tier["label"], False, f"Tự đánh giá ở mức: {tier['label'].lower()}."
    if method == Method.RATE:
        rate = min(max(rng.gauss(100 * quality + 4, 6), 35.0), 100.0)
        text = f"{rate:.1f}"
        return text, False, f"Tỷ lệ đạt {text} %, số liệu tổng hợp đến ngày 15/12/{year}."
    if method == Method.DEDUCTION:
        occurrences = 0 if rng.random() < quality else rng.choice((1, 1, 2, 3))
        note = "Không có trường hợp nào trong năm." if occurrences == 0 else f"Có {occurrences} trường hợp."
        return str(occurrences), False, note
    if method == Method.BONUS:
        if rng.random() < 0.25 * quality:
            points = min(criterion.max_points, rng.choice((Decimal("0.5"), Decimal("1"))))
            return str(points), False, "Được UBND tỉnh tặng Bằng khen về thành tích CCHC."
        return "0", False, "Không có thành tích được khen thưởng trong năm."
    if method == Method.PENALTY:
        if rng.random() < 0.08 * (1.2 - quality):
            points = min(criterion.max_points, Decimal("0.5"))
            return str(points), False, "Bị nhắc nhở bằng văn bản do chậm triển khai nhiệm vụ CCHC."
        return "0", False, "Không có vi phạm bị xử lý trong năm."
    raise ValueError(f"{criterion.code}: the unit does not score {method} leaves itself")


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF showing one line of (ASCII) text, with a correct cross-reference table."""
    plain = unicodedata.normalize("NFKD", text.replace("Đ", "D").replace("đ", "d"))
    line = "".join(char for char in plain if ord(char) < 128 and not unicodedata.combining(char))
    line = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 11 Tf 56 780 Td ({line}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    start = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{start}\n".encode()
    return bytes(out + b"%%EOF\n")


def _evidence(item: Item) -> SimpleUploadedFile:
    unit = item.assessment.unit
    year = item.assessment.campaign.year
    code = item.criterion.code
    text = f"Tai lieu kiem chung - tieu chi {code} - {unit.name} - nam {year} (du lieu minh hoa)"
    name = f"kiem-chung-{unit.code}-tc{code}-{year}.pdf"
    return SimpleUploadedFile(name, tiny_pdf(text), content_type="application/pdf")


def _self_assess(actors: Actors, assessment: Assessment, *, share: float = 1.0) -> list[Item]:
    """Score the unit's own leaves (the first `share` of them) and attach two or three evidence files."""
    unit = assessment.unit
    year = assessment.campaign.year
    quality = _quality(unit, year)
    rng = _unit_rng(unit, year, "self")
    enterer = actors.focal.get(unit.pk)
    leaves = [
        item
        for item in assessment.items.select_related("criterion", "assessment__unit", "assessment__campaign")
        if item.criterion.method not in COMPUTED
    ]
    scored = []
    for item in leaves[: round(len(leaves) * share)]:
        reported, not_applicable, note = _report(item, quality, rng)
        scored.append(
            item_services.self_assess(
                actor=enterer, item=item, reported=reported, not_applicable=not_applicable, note=note
            )
        )
    provable = [item for item in scored if item.criterion.evidence_required and not item.not_applicable]
    for item in rng.sample(provable, min(len(provable), rng.randint(2, 3))):
        item_services.add_evidence(actor=enterer, item=item, upload=_evidence(item))
    return scored


def _lower_score(item: Item, rng: random.Random) -> Decimal | None:
    """A lower score an appraiser could give: the tier below, no points for "no", or a part of the points."""
    criterion = item.criterion
    if item.self_score is None or item.self_score <= 0 or criterion.method in COMPUTED:
        return None
    if criterion.method == Method.TIERED:
        below = [
            criterion.max_points * Decimal(tier["percent"]) / 100
            for tier in criterion.tiers
            if criterion.max_points * Decimal(tier["percent"]) / 100 < item.self_score
        ]
        return max(below).quantize(CENT) if below else None
    if criterion.method == Method.YES_NO:
        return Decimal(0)
    if criterion.method in (Method.MANUAL, Method.RATE, Method.DEDUCTION):
        lowered = _points(
            float(item.self_score / criterion.max_points) * rng.uniform(0.4, 0.75), criterion.max_points
        )
        return lowered if lowered < item.self_score else None
    return None


# --- The survey --------------------------------------------------------------------------------------


def _answer_letters(quality: float, rng: random.Random, count: int) -> list[str]:
    """Answer letters weighted towards A and B, the more so the better the unit works."""
    share_a = 0.2 + 0.7 * (quality - 0.5)
    share_b = 0.4
    rest = 1 - share_a - share_b
    return rng.choices("ABCD", weights=(share_a, share_b, rest * 0.75, rest * 0.25), k=count)


def _survey_rows(campaign: Campaign, assessments: list[Assessment]) -> list[list[str]]:
    questions = {
        questionnaire.code: [question.code for question in questionnaire.questions.order_by("position")]
        for questionnaire in campaign.questionnaires.all()
    }
    rows = []
    for assessment in assessments:
        unit = assessment.unit
        questionnaire = f"DTXHH-{unit.type}"
        codes = questions.get(questionnaire)
        if not codes:
            continue
        rng = _unit_rng(unit, campaign.year, "survey")
        quality = _quality(unit, campaign.year)
        for number in range(1, rng.randint(10, 15) + 1):
            respondent = f"PK{campaign.year % 100:02d}-{number:03d}"
            for code, letter in zip(codes, _answer_letters(quality, rng, len(codes)), strict=True):
                rows.append([questionnaire, respondent, unit.code, code, letter])
    return rows


def _import_survey(actors: Actors, campaign: Campaign, assessments: list[Assessment]) -> None:
    """The survey firm's spreadsheet of paper forms, imported in one go."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(survey_services.RESPONSE_COLUMNS)
    writer.writerows(_survey_rows(campaign, assessments))
    survey_services.import_answers(
        actor=actors.planner,
        campaign=campaign,
        content=buffer.getvalue().encode("utf-8"),
        filename=f"phieu-khao-sat-{campaign.year}.csv",
    )


def _online_forms(actors: Actors, campaign: Campaign, assessments: list[Assessment], forms: int) -> None:
    """A few forms entered one by one on the site (respondents coded ON-…)."""
    questionnaires = {q.code: q for q in campaign.questionnaires.prefetch_related("questions")}
    for assessment in assessments:
        unit = assessment.unit
        questionnaire = questionnaires.get(f"DTXHH-{unit.type}")
        if questionnaire is None:
            continue
        rng = _unit_rng(unit, campaign.year, "online")
        quality = _quality(unit, campaign.year)
        codes = [question.code for question in questionnaire.questions.all()]
        for number in range(1, forms + 1):
            survey_services.record_response(
                actor=actors.planner,
                questionnaire=questionnaire,
                unit=unit,
                respondent=f"ON{campaign.year % 100:02d}-{number:03d}",
                answers=dict(zip(codes, _answer_letters(quality, rng, len(codes)), strict=True)),
            )


# --- The two campaigns -------------------------------------------------------------------------------


def _advance(
    actors: Actors,
    campaign: Campaign,
    until: str,
    decision_number: str = "",
    published_on: datetime.date | None = None,
) -> Campaign:
    while campaign.phase != until:
        campaign = campaign_services.advance_phase(
            actor=actors.planner,
            campaign=campaign,
            decision_number=decision_number,
            published_on=published_on,
        )
    return campaign


def _assessments(campaign: Campaign) -> list[Assessment]:
    return list(campaign.assessments.select_related("unit", "campaign").order_by("unit__path"))


@transaction.atomic
def _past_campaign(actors: Actors, organiser: Unit) -> Campaign:
    """Last year's campaign, from self-assessment to the published decision."""
    year = PAST_YEAR
    campaign = campaign_services.create_campaign(
        actor=actors.planner,
        organiser=organiser,
        year=year,
        title=f"Xác định Chỉ số CCHC năm {year} của các cơ quan, địa phương",
    )
    campaign = _advance(actors, campaign, Phase.SELF_ASSESSMENT)
    assessments = _assessments(campaign)
    for assessment in assessments:
        _self_assess(actors, assessment)
        item_services.submit_assessment(actor=actors.leader.get(assessment.unit_id), assessment=assessment)
    survey_services.default_questionnaires(actor=actors.planner, campaign=campaign)
    _import_survey(actors, campaign, assessments)
    _online_forms(actors, campaign, assessments[:6], forms=2)
    campaign = _advance(actors, campaign, Phase.APPRAISAL)
    adjusted: list[Item] = []
    for assessment in assessments:
        adjusted += _appraise(actors, assessment, paper_metrics=True)
        item_services.accept_remaining(actor=actors.appraiser, assessment=assessment)
    campaign = _advance(actors, campaign, Phase.EXPLANATION)
    rng = random.Random(f"parindex-explain-{year}")
    explained = []
    for item in adjusted:
        if rng.random() < 0.4:
            unit = item.assessment.unit
            text = rng.choice(EXPLANATIONS).format(
                number=rng.randint(30, 250),
                short="UBND" if unit.type == UnitType.COMMUNE else unit.code.rsplit(".", 1)[-1],
                day=rng.randint(2, 28),
                year=year,
            )
            explained.append(
                item_services.explain_item(actor=actors.focal.get(unit.pk), item=item, text=text)
            )
    campaign = _advance(actors, campaign, Phase.SECOND_APPRAISAL)
    for item in explained:
        restored = rng.random() < 0.5
        item_services.second_appraise(
            actor=actors.appraiser,
            item=item,
            score=item.self_score if restored else item.appraised_score,
            reason=SECOND_RESTORED if restored else SECOND_KEPT,
        )
    campaign = _advance(actors, campaign, Phase.FINALISATION)
    campaign = campaign_services.set_deadlines(
        actor=actors.planner, campaign=campaign, deadlines=PAST_DEADLINES
    )
    return _advance(
        actors, campaign, Phase.PUBLISHED, decision_number=PAST_DECISION, published_on=PAST_PUBLISHED_ON
    )


def _appraise(
    actors: Actors, assessment: Assessment, *, paper_metrics: bool, limit: int | None = None
) -> list[Item]:
    """The appraiser's own scores on a unit: a few lowered with a reason, and (for a year before the
    system) the automatic leaves the system holds no records for. Returns the lowered items."""
    unit = assessment.unit
    year = assessment.campaign.year
    rng = _unit_rng(unit, year, "appraise")
    quality = _quality(unit, year)
    items = list(
        assessment.items.select_related("criterion", "assessment__unit", "assessment__campaign").order_by(
            "criterion__position"
        )
    )
    if paper_metrics:
        for item in items:
            criterion = item.criterion
            if criterion.method != Method.METRIC:
                continue
            if item.self_score is not None and not criterion.metric.startswith(KEPT_ON_PAPER_IN_2025):
                continue
            share = 1.0 if rng.random() < quality else rng.gauss(quality - 0.1, 0.12)
            item_services.appraise_item(
                actor=actors.appraiser,
                item=item,
                accept=False,
                score=_points(share, criterion.max_points),
                reason=PAPER_REASON.format(year=year),
            )
    lowered = []
    if rng.random() < 0.4 + 0.3 * (1 - quality) or limit is not None:
        candidates = [(item, _lower_score(item, rng)) for item in items]
        candidates = [(item, score) for item, score in candidates if score is not None]
        for item, score in rng.sample(candidates, min(len(candidates), limit or rng.randint(1, 2))):
            lowered.append(
                item_services.appraise_item(
                    actor=actors.appraiser,
                    item=item,
                    accept=False,
                    score=score,
                    reason=rng.choice(ADJUSTMENT_REASONS),
                )
            )
    return lowered


@transaction.atomic
def _current_campaign(actors: Actors, organiser: Unit) -> Campaign:
    """This year's campaign: most units submitted, a couple still in draft, the appraisal under way."""
    year = CURRENT_YEAR
    campaign = campaign_services.create_campaign(
        actor=actors.planner,
        organiser=organiser,
        year=year,
        title=f"Xác định Chỉ số CCHC năm {year} của các cơ quan, địa phương",
    )
    campaign = _advance(actors, campaign, Phase.SELF_ASSESSMENT)
    assessments = _assessments(campaign)
    rng = random.Random(f"parindex-campaign-{year}")
    # Late units: the first has done most of its scoring, the second has barely started.
    late = sorted(rng.sample(range(len(assessments)), 2 if len(assessments) >= 20 else 1))
    shares = dict(zip(late, (0.8, 0.2), strict=False))
    submitted = []
    for position, assessment in enumerate(assessments):
        if position in shares:
            _self_assess(actors, assessment, share=shares[position])
            continue
        _self_assess(actors, assessment)
        item_services.submit_assessment(actor=actors.leader.get(assessment.unit_id), assessment=assessment)
        submitted.append(assessment)
    survey_services.default_questionnaires(actor=actors.planner, campaign=campaign)
    _online_forms(actors, campaign, submitted[: max(1, len(submitted) // 8)], forms=4)
    campaign = _advance(actors, campaign, Phase.APPRAISAL)
    adjustments = 0
    for position, assessment in enumerate(submitted):
        stage = position % 3
        if stage == 2:
            continue  # not opened yet
        if adjustments < 3 and position % 7 == 0:
            adjustments += len(_appraise(actors, assessment, paper_metrics=False, limit=1))
        if stage == 0:
            item_services.accept_remaining(actor=actors.appraiser, assessment=assessment)
            continue
        pending = assessment.items.filter(appraised_at__isnull=True, criterion__method__in=SELF_SCORED)
        pending = pending.exclude(self_score__isnull=True, not_applicable=False).order_by(
            "criterion__position"
        )
        count = pending.count()
        for item in pending.select_related("criterion")[: max(1, count // 3)]:
            item_services.appraise_item(actor=actors.appraiser, item=item, accept=True)
    today = timezone.localdate()
    appraisal_until = max(CURRENT_APPRAISAL_UNTIL, today + datetime.timedelta(days=14))
    return campaign_services.set_deadlines(
        actor=actors.planner,
        campaign=campaign,
        deadlines={
            "self_assessment_until": min(CURRENT_SELF_ASSESSMENT_UNTIL, today),
            "appraisal_until": appraisal_until,
            "explanation_until": appraisal_until + datetime.timedelta(days=12),
            "second_appraisal_until": appraisal_until + datetime.timedelta(days=26),
            "finalisation_until": appraisal_until + datetime.timedelta(days=40),
        },
    )


def campaign_counts(campaign: Campaign) -> dict[str, int]:
    """Counts for the command's summary line."""
    return {
        "units": campaign.assessments.count(),
        "submitted": campaign.assessments.filter(status=AssessmentStatus.SUBMITTED).count(),
        "results": campaign.results.count(),
        "appraised": Item.objects.filter(assessment__campaign=campaign, appraised_at__isnull=False).count(),
        "items": Item.objects.filter(assessment__campaign=campaign).count(),
    }
