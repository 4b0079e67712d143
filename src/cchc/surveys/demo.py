"""The demo's surveys: last year's SIPAS campaign carried to its close, this year's still collecting, and a
year of citizen feedback (PAKN) in every state of its handling.

Everything goes through the services, as the people in the story would have done it. The survey firm's
spreadsheet of 2025 forms is imported in one go (the forms answered online that year came from the
firm's own web form and are in the same file: the public form of this system only takes answers on the
day it is used); units typed some paper forms and phone interviews in themselves. In 2026 the import
covers the forms collected so far, and citizens answer on the public form today, a few with invitation
codes printed on their receipts.

Feedback is received with its real (past) time of receipt, but the later steps (routing, answers,
publication, ratings) happen when the loader runs, because the services stamp each step with the
present moment. Feedback received more than the allowed working days ago is therefore handled late; the
stream is denser in the last weeks, so the demo shows on-time and late handling side by side.

Deterministic: every unit and every feedback draws from seeded generators, so the same units always
get the same answers whatever else the database holds. Safe to run again: a campaign that exists is left
as it is, and the feedback stream is only loaded when the province has no feedback yet.
"""

import csv
import datetime
import io
import itertools
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from cchc.accounts.models import Role, RoleAssignment
from cchc.surveys.models import (
    CampaignStatus,
    Feedback,
    FeedbackChannel,
    FeedbackKind,
    FeedbackRating,
    QuestionKind,
    ResponseChannel,
    SurveyCampaign,
    UnitQuota,
)
from cchc.surveys.services import feedback as feedback_services
from cchc.surveys.services import sipas
from cchc.surveys.services.feedback_import import COLUMNS as FEEDBACK_COLUMNS
from cchc.surveys.services.feedback_import import import_feedback
from cchc.surveys.services.imports import import_responses
from cchc.surveys.services.sipas import OPTIONAL_RESPONSE_COLUMNS, RESPONSE_COLUMNS
from cchc.units.models import Unit, UnitType
from cchc.workdays.calendar import is_working_day

PAST_YEAR, CURRENT_YEAR = 2025, 2026
PAST_CODE, CURRENT_CODE = f"SIPAS-{PAST_YEAR}", f"SIPAS-{CURRENT_YEAR}"
TITLE = (
    "Khảo sát sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước "
    "năm {year}"
)
ONE_DAY = datetime.timedelta(days=1)


@dataclass
class Loaded:
    past: SurveyCampaign
    current: SurveyCampaign
    feedback: int  # feedback of the organiser after loading
    created: bool  # False when everything was already there


@dataclass
class People:
    planner: Any  # the reform office: runs the campaigns, routes and closes feedback
    organiser: Unit
    focal: dict[int, Any]  # unit id -> the unit's focal point (enters paper forms, answers feedback)

    def handler(self, unit: Unit | None) -> Any:
        return self.focal.get(unit.pk, self.planner) if unit is not None else self.planner


def load_demo_surveys(*, actor: Any, organiser: Unit) -> Loaded:
    """Both SIPAS campaigns of the organiser and its feedback stream; parts already there are kept."""
    people = _people(actor, organiser)
    created = False
    past = SurveyCampaign.objects.filter(code=PAST_CODE).first()
    if past is None:
        past = _past_campaign(people, organiser)
        created = True
    current = SurveyCampaign.objects.filter(code=CURRENT_CODE).first()
    if current is None:
        current = _current_campaign(people, organiser)
        created = True
    if not Feedback.objects.filter(organiser=organiser).exists():
        _feedback_stream(people, organiser)
        created = True
    return Loaded(
        past=past,
        current=current,
        feedback=Feedback.objects.filter(organiser=organiser).count(),
        created=created,
    )


def _people(planner: Any, organiser: Unit) -> People:
    focal: dict[int, Any] = {}
    assignments = RoleAssignment.objects.filter(
        unit__path__startswith=organiser.path, user__is_active=True, role=Role.FOCAL_POINT
    ).select_related("user")
    for assignment in assignments.order_by("user__username"):
        focal.setdefault(assignment.unit_id, assignment.user)
    return People(planner=planner, organiser=organiser, focal=focal)


def _working_days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    days, day = [], first
    while day <= last:
        if is_working_day(day):
            days.append(day)
        day += ONE_DAY
    return days or [last]


# --- SIPAS: what respondents answer -----------------------------------------------------------------

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
PRAISE = [
    "Cán bộ hướng dẫn nhiệt tình, hồ sơ được trả đúng hẹn.",
    "Thủ tục nhanh gọn hơn trước nhiều, cảm ơn Bộ phận Một cửa.",
    "Được nhắn tin báo khi có kết quả, rất thuận tiện.",
    "Nơi tiếp nhận sạch sẽ, có nước uống và chỗ ngồi chờ đầy đủ.",
]
COMPLAINTS = [
    "Phải đi lại hai lần vì lần đầu không được hướng dẫn đủ giấy tờ.",
    "Đã nộp trực tuyến nhưng vẫn phải mang bản giấy đến nộp lại.",
    "Chỗ ngồi chờ chật, máy lấy số hay bị hỏng.",
    "Trả kết quả trễ hẹn mà không được báo trước.",
    "Cổng dịch vụ công khó dùng trên điện thoại, hay báo lỗi khi tải tệp lên.",
]
SUGGESTIONS = [
    "Nên có video hướng dẫn nộp hồ sơ trực tuyến cho người lớn tuổi.",
    "Đề nghị tiếp nhận hồ sơ vào sáng thứ Bảy cho người đi làm.",
    "Nên niêm yết mức phí, lệ phí rõ hơn ngay tại quầy.",
]
COMMUNE_FIELDS = {
    "Hộ tịch": 30,
    "Chứng thực": 30,
    "Đất đai": 18,
    "Bảo trợ xã hội": 8,
    "Đăng ký kinh doanh": 7,
    "Xây dựng": 5,
}
AGENCY_FIELDS = {
    "VP": ["Đầu tư tại Việt Nam", "Đất đai", "Xây dựng"],
    "SNV": ["Việc làm", "Người có công", "Thi đua, khen thưởng"],
    "STP": ["Lý lịch tư pháp", "Hộ tịch", "Công chứng"],
    "STC": ["Đăng ký kinh doanh", "Đầu tư tại Việt Nam"],
    "SXD": ["Xây dựng", "Đường bộ"],
    "SNNMT": ["Đất đai", "Môi trường", "Trồng trọt"],
    "SCT": ["Lưu thông hàng hóa trong nước", "An toàn thực phẩm"],
    "SKHCN": ["Tiêu chuẩn đo lường chất lượng", "Sở hữu trí tuệ"],
    "SGDDT": ["Văn bằng, chứng chỉ", "Giáo dục và đào tạo"],
    "SYT": ["Khám bệnh, chữa bệnh", "Dược phẩm", "An toàn thực phẩm"],
    "SVHTTDL": ["Du lịch", "Văn hóa"],
    "TTR": ["Tiếp công dân", "Giải quyết khiếu nại"],
    "BQLKKT": ["Đầu tư tại Việt Nam", "Xây dựng"],
    "CA": ["Đăng ký, quản lý cư trú", "Cấp, quản lý căn cước", "Đăng ký xe"],
    "BHXH": ["Thu bảo hiểm xã hội", "Cấp sổ, thẻ bảo hiểm", "Chính sách bảo hiểm xã hội"],
}


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
            answers[code] = rng.choice(
                COMPLAINTS if unhappy else PRAISE if rng.random() < 0.6 else SUGGESTIONS
            )
    return answers


def _fields(unit: Unit) -> tuple[list[str], list[int] | None]:
    if unit.type == UnitType.COMMUNE:
        return list(COMMUNE_FIELDS), list(COMMUNE_FIELDS.values())
    return AGENCY_FIELDS.get(unit.code.rsplit(".", 1)[-1], [""]), None


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
        title=TITLE.format(year=year),
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
    web_today = current and campaign.starts_on is not None and campaign.starts_on <= timezone.localdate()
    web_today = web_today and timezone.localdate() <= last_day
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
        days = calendars.setdefault(first, _working_days(min(first, last_day), last_day))
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
def _past_campaign(people: People, organiser: Unit) -> SurveyCampaign:
    """Last year's campaign: opened, every surveyed unit answered for, closed."""
    campaign = _new_campaign(people, organiser, PAST_YEAR, PAST_CODE)
    rows, entries = _collect(campaign, campaign.ends_on or datetime.date(PAST_YEAR, 12, 31), current=False)
    _import(people, campaign, rows, f"phieu-khao-sat-sipas-{PAST_YEAR}.csv")
    _enter(people, campaign, entries)
    return sipas.set_status(actor=people.planner, campaign=campaign, status=CampaignStatus.CLOSED)


@transaction.atomic
def _current_campaign(people: People, organiser: Unit) -> SurveyCampaign:
    """This year's campaign, open, with the forms collected so far."""
    campaign = _new_campaign(people, organiser, CURRENT_YEAR, CURRENT_CODE)
    ends_on = campaign.ends_on or datetime.date(CURRENT_YEAR, 12, 31)
    rows, entries = _collect(campaign, min(ends_on, timezone.localdate()), current=True)
    _import(people, campaign, rows, f"phieu-khao-sat-sipas-{CURRENT_YEAR}-dot-1.csv")
    _enter(people, campaign, entries)
    return campaign


# --- Feedback -----------------------------------------------------------------------------------------


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


P, C, X = FeedbackKind.PROCEDURE, FeedbackKind.OFFICIAL, FeedbackKind.OTHER  # thủ tục, cán bộ, khác
TOPICS = [
    Topic(
        P,
        "commune",
        "Hồ sơ đăng ký biến động đất đai trễ hẹn tại {unit}",
        "Tôi nộp hồ sơ đăng ký biến động quyền sử dụng đất (nhận tặng cho) tại Bộ phận Một cửa {unit}. "
        "Giấy tiếp nhận hẹn trả kết quả sau 10 ngày làm việc nhưng đã quá hẹn hơn hai tuần vẫn chưa có kết "
        "quả, cũng không nhận được phiếu xin lỗi và hẹn lại. Đề nghị kiểm tra, cho biết hồ sơ đang vướng ở "
        "khâu nào và khi nào được nhận kết quả.",
        "{unit} đã kiểm tra: hồ sơ chậm do phải chờ kết quả đo đạc chỉnh lý thửa đất. Bộ phận Một cửa đã "
        "gửi phiếu xin lỗi và hẹn lại ngày trả kết quả; công chức để hồ sơ quá hạn mà không thông báo cho "
        "người dân đã bị nhắc nhở. Kết quả đã sẵn sàng, đề nghị ông/bà kiểm tra tin nhắn báo nhận kết quả.",
        procedure="1.003003",
        info="Đề nghị ông/bà cung cấp mã hồ sơ ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả để tra cứu "
        "trên hệ thống.",
    ),
    Topic(
        P,
        "SNNMT",
        "Chậm cấp giấy chứng nhận quyền sử dụng đất lần đầu",
        "Gia đình tôi nộp hồ sơ đề nghị cấp giấy chứng nhận quyền sử dụng đất lần đầu qua Trung tâm Phục vụ "
        "hành chính công tỉnh. Tra cứu trên Cổng dịch vụ công nhiều lần, trạng thái vẫn là “đang xử lý” dù "
        "đã quá thời hạn. Đề nghị {unit} cho biết lý do chậm trễ.",
        "Văn phòng Đăng ký đất đai thuộc {unit} trả lời: hồ sơ phải chờ cơ quan thuế xác định nghĩa vụ tài "
        "chính nên kéo dài thời gian giải quyết. Thông báo nộp thuế đã được gửi; sau khi ông/bà hoàn thành "
        "nghĩa vụ tài chính, giấy chứng nhận được trả trong 03 ngày làm việc. Đơn vị xin lỗi vì không cập "
        "nhật kịp thời trạng thái hồ sơ trên Cổng.",
        procedure="1.004227",
    ),
    Topic(
        P,
        "commune",
        "Yêu cầu nộp thêm giấy tờ không có trong quy định khi chứng thực bản sao",
        "Khi chứng thực bản sao từ bản chính tại {unit}, công chức yêu cầu tôi nộp thêm bản photo căn cước "
        "và tờ khai, trong khi thủ tục niêm yết không có các giấy tờ này. Đề nghị làm rõ và chấn chỉnh.",
        "Qua kiểm tra, việc yêu cầu nộp thêm bản photo căn cước và tờ khai khi chứng thực bản sao là không "
        "đúng quy định. {unit} đã chấn chỉnh công chức tiếp nhận, niêm yết lại thành phần hồ sơ tại Bộ phận "
        "Một cửa và xin lỗi ông/bà.",
        procedure="2.000815",
    ),
    Topic(
        P,
        "commune",
        "Hồ sơ đăng ký khai sinh trực tuyến bị trả lại nhiều lần",
        "Tôi đăng ký khai sinh cho con qua Cổng dịch vụ công, hồ sơ bị trả lại ba lần, mỗi lần chỉ ghi "
        "“hồ sơ chưa hợp lệ” mà không nói rõ thiếu gì. Đề nghị {unit} hướng dẫn cụ thể, một lần đầy đủ.",
        "{unit} đã liên hệ hướng dẫn ông/bà: ảnh chụp giấy chứng sinh bị mờ và thiếu thông tin nơi cư trú "
        "của người mẹ. Hồ sơ đã được tiếp nhận và cấp bản điện tử giấy khai sinh. Từ nay công chức trả hồ sơ "
        "phải ghi rõ nội dung cần bổ sung.",
        procedure="1.001193",
    ),
    Topic(
        P,
        "SXD",
        "Thời gian thẩm định cấp giấy phép xây dựng kéo dài",
        "Doanh nghiệp chúng tôi nộp hồ sơ cấp giấy phép xây dựng công trình nhà xưởng, đến nay đã quá thời "
        "hạn giải quyết nhưng chưa nhận được giấy phép hay văn bản yêu cầu bổ sung. Đề nghị {unit} kiểm "
        "tra, trả lời.",
        "{unit} trả lời: hồ sơ phải lấy ý kiến cơ quan phòng cháy, chữa cháy về thiết kế nên chậm so với "
        "thời hạn. Sở đã có văn bản xin lỗi doanh nghiệp; giấy phép đã được ký và trả qua Trung tâm Phục vụ "
        "hành chính công tỉnh. Sở rà soát lại quy trình lấy ý kiến để không lặp lại.",
        procedure="1.009974",
    ),
    Topic(
        P,
        "commune",
        "Bị yêu cầu bổ sung hồ sơ cấp phép xây dựng nhà ở nhiều lần",
        "Xin giấy phép xây dựng nhà ở riêng lẻ tại {unit}, tôi bị yêu cầu bổ sung hồ sơ hai lần, mỗi lần một "
        "nội dung khác nhau. Đề nghị hướng dẫn một lần, đầy đủ theo đúng quy định.",
        "{unit} ghi nhận phản ánh: việc yêu cầu bổ sung hồ sơ hai lần là chưa đúng quy định về hướng dẫn "
        "một lần, đầy đủ. Ủy ban đã kiểm điểm công chức phụ trách; hồ sơ của ông/bà đã được giải quyết và "
        "giấy phép đã được cấp.",
        procedure="1.009972",
    ),
    Topic(
        P,
        "STP",
        "Phiếu lý lịch tư pháp trả chậm so với giấy hẹn",
        "Tôi nộp hồ sơ cấp Phiếu lý lịch tư pháp số 1 để đi làm việc, đến ngày hẹn vẫn chưa có kết quả, gọi "
        "điện thì được trả lời là đang chờ xác minh. Đề nghị {unit} cho biết thời gian cụ thể.",
        "{unit} trả lời: hồ sơ cần xác minh thông tin tại nơi cư trú trước đây của ông/bà nên kéo dài thời "
        "gian. Sở đã gửi thư xin lỗi; Phiếu lý lịch tư pháp đã được cấp và gửi qua dịch vụ bưu chính theo "
        "đăng ký.",
        procedure="1.002804",
        info="Đề nghị ông/bà cung cấp mã hồ sơ và số điện thoại đã đăng ký khi nộp để Sở tra cứu.",
    ),
    Topic(
        P,
        "BHXH",
        "Chậm giải quyết chế độ thai sản",
        "Tôi đã nộp hồ sơ hưởng chế độ thai sản qua đơn vị sử dụng lao động hơn một tháng nhưng chưa nhận "
        "được tiền. Đề nghị {unit} kiểm tra.",
        "{unit} đã kiểm tra: hồ sơ thiếu xác nhận của đơn vị sử dụng lao động về thời gian nghỉ việc. Sau "
        "khi đơn vị bổ sung, chế độ đã được chi trả vào tài khoản của ông/bà; đơn vị sử dụng lao động đã "
        "được nhắc nhở về thời hạn nộp hồ sơ.",
    ),
    Topic(
        P,
        "CA",
        "Hướng dẫn đăng ký thường trú không thống nhất",
        "Khi làm thủ tục đăng ký thường trú, mỗi lần liên hệ tôi được hướng dẫn một kiểu về giấy tờ chứng "
        "minh chỗ ở hợp pháp. Đề nghị {unit} có hướng dẫn thống nhất, công khai.",
        "{unit} tiếp thu: đã ban hành hướng dẫn thống nhất các loại giấy tờ chứng minh chỗ ở hợp pháp, niêm "
        "yết tại nơi tiếp nhận và đăng trên Cổng dịch vụ công; cán bộ tiếp nhận đã được tập huấn lại.",
    ),
    Topic(
        P,
        "SYT",
        "Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh quá hạn",
        "Hồ sơ đề nghị cấp chứng chỉ hành nghề khám bệnh, chữa bệnh của tôi đã quá thời hạn giải quyết mà "
        "chưa có thông báo. Đề nghị {unit} cho biết tiến độ.",
        "{unit} trả lời: hồ sơ phải chờ Hội đồng tư vấn cấp chứng chỉ hành nghề họp xét theo định kỳ. Chứng "
        "chỉ đã được cấp; Sở đã điều chỉnh lịch họp Hội đồng để bảo đảm thời hạn.",
        procedure="1.001009",
    ),
    Topic(
        P,
        "commune",
        "Hồ sơ trợ cấp xã hội hằng tháng chưa được giải quyết",
        "Mẹ tôi trên 80 tuổi, đã nộp hồ sơ hưởng trợ cấp xã hội hằng tháng tại {unit} ba tháng nay nhưng "
        "chưa được giải quyết. Đề nghị kiểm tra.",
        "{unit} đã rà soát: hồ sơ đủ điều kiện, Chủ tịch Ủy ban đã ký quyết định trợ cấp và cho truy lĩnh từ "
        "tháng nộp hồ sơ. Ủy ban xin lỗi gia đình vì sự chậm trễ.",
        procedure="1.001776",
    ),
    Topic(
        P,
        "commune",
        "Thu phí chứng thực hợp đồng cao hơn mức niêm yết",
        "Khi chứng thực hợp đồng chuyển nhượng tại {unit}, tôi phải nộp phí cao hơn mức niêm yết và không "
        "được cấp biên lai. Đề nghị làm rõ.",
        "{unit} đã kiểm tra sổ thu: khoản chênh lệch là phí chứng thực bản sao ông/bà yêu cầu thêm nhưng "
        "công chức không giải thích rõ và không xuất biên lai riêng. Ủy ban đã yêu cầu xuất đủ biên lai, "
        "niêm yết lại mức phí và nhắc nhở công chức.",
        procedure="2.000913",
        info="Đề nghị ông/bà cho biết ngày chứng thực và số tiền đã nộp để đối chiếu sổ thu phí.",
    ),
    Topic(
        C,
        "commune",
        "Thái độ cán bộ tiếp nhận hồ sơ tại {unit} không đúng mực",
        "Tôi đến Bộ phận Một cửa {unit} hỏi thủ tục, công chức tiếp nhận trả lời cộc lốc, không hướng dẫn mà "
        "bảo tự lên mạng xem. Đề nghị lãnh đạo xem xét, chấn chỉnh.",
        "Lãnh đạo {unit} đã làm việc với công chức tiếp nhận; công chức đã nhận khuyết điểm và bị kiểm điểm. "
        "Ủy ban xin lỗi ông/bà và cảm ơn ông/bà đã phản ánh.",
        info="Đề nghị ông/bà cho biết ngày, khung giờ và quầy tiếp nhận để xác minh.",
    ),
    Topic(
        C,
        "commune",
        "Cán bộ Bộ phận Một cửa đến muộn, người dân phải chờ lâu",
        "Nhiều buổi sáng sau 7 giờ 30 quầy tiếp nhận tại {unit} vẫn chưa có người, người dân phải chờ lâu. "
        "Đề nghị chấn chỉnh giờ làm việc.",
        "{unit} đã kiểm tra sổ theo dõi và camera: việc một số công chức đến muộn là có. Ủy ban đã nhắc nhở, "
        "phân công lịch trực và bố trí công chức dự phòng để quầy luôn có người từ đầu giờ.",
    ),
    Topic(
        C,
        "VP.TTHCC",
        "Đề nghị biểu dương công chức hướng dẫn tận tình",
        "Tôi xin cảm ơn công chức quầy tiếp nhận tại {unit} đã hướng dẫn tận tình, giúp tôi nộp hồ sơ trực "
        "tuyến khi tôi không rành máy tính. Đề nghị biểu dương.",
        "{unit} cảm ơn ông/bà đã ghi nhận. Nội dung đã được thông báo đến công chức và đưa vào đánh giá, xếp "
        "loại hằng tháng.",
    ),
    Topic(
        C,
        "SNNMT",
        "Phản ánh có người gợi ý chi thêm tiền để giải quyết hồ sơ nhanh",
        "Khi hỏi tiến độ hồ sơ đất đai, tôi được một người tự giới thiệu là cán bộ gợi ý “chi thêm” để hồ sơ "
        "được giải quyết nhanh. Đề nghị {unit} làm rõ.",
        "{unit} đã phối hợp Thanh tra tỉnh xác minh: người liên hệ với ông/bà không phải công chức của đơn "
        "vị; vụ việc đã được chuyển cơ quan công an xem xét. Đề nghị người dân chỉ liên hệ qua Bộ phận Một "
        "cửa và đường dây nóng đã công khai.",
        info="Đề nghị ông/bà cung cấp thời gian, địa điểm và đặc điểm nhận biết người đã liên hệ để cơ quan "
        "xác minh; thông tin của ông/bà được giữ bí mật.",
    ),
    Topic(
        C,
        "commune",
        "Cán bộ hẹn đi hẹn lại khi xin xác nhận thông tin hộ tịch",
        "Tôi đề nghị xác nhận thông tin hộ tịch tại {unit}, cán bộ hẹn ba lần vẫn chưa xác nhận với lý do "
        "người ký đi vắng. Đề nghị xem xét.",
        "{unit} đã bố trí người ký thay theo ủy quyền khi lãnh đạo đi vắng; giấy xác nhận đã được trả cho "
        "ông/bà. Công chức đã được nhắc nhở về việc hẹn lại không có lý do chính đáng.",
    ),
    Topic(
        X,
        "VP",
        "Đề nghị bổ sung hướng dẫn trên Cổng dịch vụ công",
        "Nhiều thủ tục trên Cổng dịch vụ công của tỉnh chỉ có tên thủ tục mà chưa có hướng dẫn cách kê khai "
        "và mẫu đơn điền sẵn. Đề nghị bổ sung hướng dẫn chi tiết, có video cho người lớn tuổi.",
        "{unit} tiếp thu kiến nghị: đã chỉ đạo cập nhật hướng dẫn kê khai, mẫu điền sẵn cho các thủ tục có "
        "nhiều hồ sơ và đăng video hướng dẫn trên Cổng dịch vụ công của tỉnh.",
    ),
    Topic(
        X,
        "VP",
        "Cổng dịch vụ công báo lỗi khi thanh toán phí trực tuyến",
        "Khi thanh toán lệ phí trực tuyến, Cổng dịch vụ công báo lỗi nhưng tài khoản ngân hàng của tôi đã bị "
        "trừ tiền. Đề nghị kiểm tra, ghi nhận đã nộp hoặc hoàn tiền.",
        "{unit} đã đối soát với ngân hàng: giao dịch của ông/bà đã được ghi nhận, hồ sơ được chuyển xử lý "
        "bình thường. Lỗi hiển thị do kết nối với nền tảng thanh toán đã được khắc phục.",
        info="Đề nghị ông/bà cung cấp mã giao dịch ngân hàng và mã hồ sơ để đối soát.",
    ),
    Topic(
        X,
        "commune",
        "Đề nghị bố trí thêm ghế chờ và máy lấy số tại Bộ phận Một cửa",
        "Bộ phận Một cửa {unit} thường đông người vào đầu tuần, không đủ ghế ngồi, máy lấy số hay hỏng. Đề "
        "nghị bố trí thêm.",
        "{unit} tiếp thu: đã bổ sung ghế chờ, sửa máy lấy số và mở thêm một quầy tiếp nhận vào sáng thứ Hai.",
    ),
    Topic(
        X,
        "commune",
        "Đề nghị tiếp nhận hồ sơ vào sáng thứ Bảy",
        "Người lao động khó xin nghỉ trong giờ hành chính. Đề nghị {unit} tiếp nhận hồ sơ hộ tịch, chứng "
        "thực vào sáng thứ Bảy.",
        "{unit} tiếp thu: từ tháng tới, Bộ phận Một cửa tiếp nhận và trả kết quả hộ tịch, chứng thực vào "
        "sáng thứ Bảy hằng tuần.",
    ),
    Topic(
        X,
        "SGDDT",
        "Đề nghị hướng dẫn thủ tục chuyển trường trên dịch vụ công",
        "Tôi muốn làm thủ tục chuyển trường cho con qua dịch vụ công trực tuyến nhưng không tìm thấy hướng "
        "dẫn. Đề nghị {unit} hướng dẫn cụ thể.",
        "{unit} đã đăng hướng dẫn từng bước thủ tục chuyển trường trên Cổng dịch vụ công và trang thông tin "
        "của Sở; ông/bà có thể nộp hồ sơ trực tuyến, nhà trường trả kết quả qua tài khoản đã đăng ký.",
    ),
    Topic(
        X,
        "BHXH",
        "Đề nghị hướng dẫn tra cứu quá trình đóng bảo hiểm xã hội trực tuyến",
        "Người lao động ở địa phương chưa biết cách tra cứu quá trình đóng bảo hiểm xã hội trên mạng. "
        "Đề nghị {unit} có hướng dẫn.",
        "{unit} đã phối hợp Ủy ban nhân dân các xã, phường hướng dẫn cài đặt ứng dụng và tra cứu quá trình "
        "đóng; tài liệu hướng dẫn được niêm yết tại Bộ phận Một cửa.",
    ),
    # Feedback that is refused rather than answered.
    Topic(
        X,
        "SXD",
        "Đèn tín hiệu giao thông tại nút giao bị hỏng nhiều ngày",
        "Đèn tín hiệu tại nút giao gần chợ bị hỏng nhiều ngày, giờ cao điểm rất dễ xảy ra va chạm. Đề nghị "
        "sửa chữa sớm.",
        refusal="Nội dung không phải phản ánh về quy định hay hành vi hành chính; đã chuyển đơn vị quản lý "
        "hạ tầng giao thông xử lý theo chức năng.",
    ),
    Topic(
        X,
        "commune",
        "Tranh chấp ranh giới đất với hộ liền kề",
        "Hộ liền kề xây tường lấn sang đất nhà tôi khoảng nửa mét. Đề nghị {unit} giải quyết.",
        refusal="Đây là tranh chấp đất đai, được giải quyết bằng hòa giải tại Ủy ban nhân dân cấp xã và theo "
        "Luật Đất đai, không thuộc phạm vi xử lý phản ánh, kiến nghị; đề nghị ông/bà nộp đơn theo hướng dẫn.",
    ),
    Topic(
        C,
        "commune",
        "Tố cáo cán bộ địa chính nhận tiền của người dân",
        "Tôi tố cáo cán bộ địa chính {unit} nhận tiền của người dân khi đo đạc đất.",
        refusal="Nội dung có tính chất tố cáo, được giải quyết theo Luật Tố cáo; đề nghị ông/bà gửi đơn tố "
        "cáo có ký tên đến người đứng đầu cơ quan có thẩm quyền.",
    ),
    Topic(
        P,
        "commune",
        "Không đồng ý với quyết định xử phạt vi phạm hành chính",
        "Tôi bị xử phạt vi phạm hành chính về xây dựng nhưng cho rằng mức phạt không đúng. Đề nghị xem xét "
        "lại.",
        refusal="Nội dung là khiếu nại quyết định hành chính, được giải quyết theo Luật Khiếu nại; đề nghị "
        "ông/bà gửi đơn khiếu nại đến người đã ra quyết định.",
    ),
    Topic(
        P,
        "commune",
        "Hồ sơ đất đai trễ hẹn (gửi lại lần hai)",
        "Tôi gửi lại phản ánh về hồ sơ đất đai trễ hẹn tại {unit} vì chưa thấy trả lời.",
        refusal="Nội dung trùng với phản ánh đã được trả lời; đề nghị ông/bà tra cứu câu trả lời bằng mã số "
        "biên nhận đã được cấp.",
    ),
]
GENERIC_INFO = (
    "Đề nghị ông/bà cung cấp thêm mã hồ sơ (nếu có), thời gian và địa điểm cụ thể để cơ quan kiểm tra, xác "
    "minh."
)
SECOND_ANSWER = (
    "{unit} đã xem xét lại theo đề nghị của ông/bà và trả lời bổ sung: hồ sơ đã được giải quyết xong, kết "
    "quả đã được trả; lãnh đạo đơn vị đã làm việc trực tiếp với ông/bà để giải thích các nội dung còn vướng "
    "mắc."
)
REOPEN_REASONS = [
    "Câu trả lời chưa nêu rõ thời hạn trả kết quả; đến nay tôi vẫn chưa nhận được kết quả.",
    "Câu trả lời chung chung, chưa nói rõ việc xử lý công chức liên quan.",
    "Tôi không đồng ý với lý do từ chối, nội dung phản ánh thuộc thủ tục hành chính.",
]
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
    now = timezone.localtime()
    today = now.date()
    if ages is None:
        latest = _working_days_back(today, ANSWER_DAYS + 1)
        first = min(datetime.date(CURRENT_YEAR, 1, 5), latest)
        day = rng.choice(_working_days(first, latest))
    else:
        day = _working_days_back(today, rng.randint(*ages))
        if office_hours and not is_working_day(day):
            day = _working_days_back(day, 1)
    moment = datetime.datetime.combine(day, datetime.time(rng.randint(7, 16), rng.randint(0, 59)))
    received = timezone.make_aware(moment)
    if received >= now:
        received = now - datetime.timedelta(minutes=rng.randint(5, 120))
    return received


def _working_days_back(day: datetime.date, count: int) -> datetime.date:
    while count > 0:
        day -= ONE_DAY
        if is_working_day(day):
            count -= 1
    return day


def _plans(people: People) -> list[Planned]:
    organiser = people.organiser
    rng = random.Random(f"feedback-{CURRENT_YEAR}-{organiser.code}")
    answered = [topic for topic in TOPICS if not topic.refusal]
    refused = [topic for topic in TOPICS if topic.refusal]
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
            services.reopen_feedback(receipt_code=feedback.receipt_code, reason=REOPEN_REASONS[2])
        return
    if story.startswith("info_"):
        feedback = services.request_information(
            actor=handler, feedback=feedback, text=plan.topic.info or GENERIC_INFO
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
        feedback = services.reopen_feedback(receipt_code=code, reason=rng.choice(REOPEN_REASONS[:2]))
        if story == "reopened_answered":
            services.answer_feedback(
                actor=handler, feedback=feedback, text=SECOND_ANSWER.format(unit=unit.name)
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
def _feedback_stream(people: People, organiser: Unit) -> Counter[str]:
    plans = _plans(people)
    imported = _import_feedback(people, organiser, plans)
    rng = random.Random(f"feedback-steps-{CURRENT_YEAR}-{organiser.code}")
    for plan in plans:
        feedback = imported[plan.code] if plan.code else _receive(people, organiser, plan)
        _play(people, plan, feedback, rng)
    return Counter(Feedback.objects.filter(organiser=organiser).values_list("status", flat=True))
