"""Tasks (nhiệm vụ) with their lead unit, coordinating units, deadline and product.

Two shapes are read:
- tables whose header names a lead-unit column ("Cơ quan chủ trì") and a task column ("Nhiệm vụ",
  "Nội dung"), as in a plan's appendix; each row under the header is a task, and a row holding only a
  number and a title ("I | CẢI CÁCH THỂ CHẾ") starts a group;
- prose: a line that names who leads it ("Sở Nội vụ chủ trì", "Cơ quan chủ trì: ...") or carries labelled
  fields ("Thời gian hoàn thành: ...", "Sản phẩm: ..."); a line made only of labelled fields adds them
  to the task on the line before.
"""

import re
from dataclasses import dataclass

from cchc.plans.extraction.headings import heading
from cchc.plans.extraction.model import Task
from cchc.plans.extraction.text import Line, protected_mask, squash

# Header cells -> field. The first rule that matches a cell wins, so "Cơ quan chủ trì" is the lead
# even though it does not say "nhiệm vụ".
_COLUMNS = (
    ("number", re.compile(r"^(?:stt|tt|số tt|số thứ tự)$")),
    ("lead", re.compile(r"chủ trì")),
    ("coordinating", re.compile(r"phối hợp")),
    ("deadline", re.compile(r"thời gian|thời hạn|tiến độ|hoàn thành")),
    ("product", re.compile(r"sản phẩm|kết quả")),
    ("text", re.compile(r"nhiệm vụ|nội dung|công việc|hoạt động|giải pháp|tên")),
)

_LABELS = (
    ("lead", r"(?:cơ quan|đơn vị)?\s*chủ trì(?:\s+thực hiện)?"),
    ("coordinating", r"(?:cơ quan|đơn vị)?\s*phối hợp(?:\s+thực hiện)?"),
    ("deadline", r"thời (?:gian|hạn)(?:\s+(?:hoàn thành|thực hiện|triển khai))?|tiến độ(?:\s+thực hiện)?"),
    ("product", r"(?:dự kiến\s+)?(?:kết quả\s*/\s*)?sản phẩm(?:\s+(?:đầu ra|dự kiến))?(?:\s*/\s*kết quả)?"),
)
_LABEL_RE = re.compile(
    "|".join(rf"(?P<{name}>(?<![\w])(?:{pattern})\s*:)" for name, pattern in _LABELS), re.IGNORECASE
)
# "Sở Nội vụ chủ trì", "(Văn phòng UBND tỉnh chủ trì, phối hợp với ...)": the lead named before the verb.
_LEAD_BEFORE = re.compile(r"(?:^|[(;:,.]\s*|\s)(?P<lead>[^\W\d_][^()\[\];:,.]{0,80}?)\s+chủ trì\b")
# Words before the lead's name that are not part of it: "Giao Sở Nội vụ chủ trì", "do Sở Tư pháp chủ trì".
_LEAD_PREFIX = re.compile(r"^(?:(?:giao(?: cho)?|do|đề nghị|yêu cầu|và)\s+)+", re.IGNORECASE)
_COORDINATING_AFTER = re.compile(r"\bphối hợp(?:\s+(?:với|cùng))?\s+(?P<units>[^();.]+)", re.IGNORECASE)
# Verbs that start the action after a list of coordinating units: "phối hợp với Sở Tư pháp tham mưu ...".
_ACTION = re.compile(
    r"\s(?:tham mưu|triển khai|thực hiện|tổ chức|xây dựng|hướng dẫn|rà soát|kiểm tra|theo dõi|đôn đốc|báo cáo"
    r"|trình|ban hành|nghiên cứu|đề xuất|hoàn thành|trong|trước)\b",
    re.IGNORECASE,
)
# Words that begin the name of a specific agency or office holder.
_AGENCY = (
    r"(?:Sở|UBND|Ủy ban|Uỷ ban|Văn phòng|Ban|Công an|Thanh tra|Cục|Chi cục|Trung tâm|Bộ|Đài|Báo|Kho bạc"
    r"|Bảo hiểm|Ngân hàng|Hội|Liên đoàn|Tỉnh đoàn|Trường|Viện|Phòng|Bưu điện|Chủ tịch|Giám đốc|Thủ trưởng)"
)
_UNIT_START = rf"(?:{_AGENCY}|Cổng|các|Các|cơ quan|đơn vị|địa phương)"
# After an unnamed lead ("Các cơ quan chủ trì"), "chủ trì" must read as a role, not as a verb with an
# object ("các cơ quan chủ trì soạn thảo văn bản").
_ROLE_FOLLOWS = re.compile(r"\s*(?:[,;)]|$|phối hợp|thực hiện)")
_UNIT_SPLIT = re.compile(rf"\s*;\s*|\s*,\s*|\s+và\s+(?={_UNIT_START}\b)")
_DEADLINE = re.compile(
    r"(?:(?:hoàn thành|thực hiện|xong)\s+)?(?:trong|trước|vào)\s+(?:ngày\s+\d{1,2}/\d{1,2}(?:/\d{2,4})?"
    r"|quý\s+(?:I{1,3}|IV|[1-4])(?:\s*(?:/|năm)\s*\d{4})?|tháng\s+\d{1,2}(?:\s*(?:/|năm)\s*\d{4})?|năm\s+\d{4})"
    r"|\bquý\s+(?:I{1,3}|IV|[1-4])\s*/\s*\d{4}|\btháng\s+\d{1,2}\s*/\s*\d{4}",
    re.IGNORECASE,
)
# The section that says who organises the plan's implementation ("III. TỔ CHỨC THỰC HIỆN"): its
# sentences ("Sở Nội vụ chủ trì, theo dõi, đôn đốc ...") assign roles, they are not tasks of the plan.
_IMPLEMENTATION = re.compile(
    r"^(?:tổ chức|trách nhiệm(?:\s+tổ chức)?)\s+thực hiện(?:\s+kế hoạch)?$", re.IGNORECASE
)
_APPENDIX = re.compile(r"^#*\s*phụ lục\b", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-+*•–]\s*|(?:\d+(?:\.\d+)*|[a-zđ])[.)]\s+)", re.IGNORECASE)
_COLUMN_NUMBERS = re.compile(r"^\(?\d+\)?$")
_ROMAN = re.compile(r"[IVXLC]+\.?|[A-Z]\.?")


@dataclass
class _Columns:
    """Which cell of a task table's rows holds which field."""

    fields: dict[str, int]


def find_tasks(lines: list[Line], area_of_line: dict[int, str | None]) -> list[Task]:
    tasks: list[Task] = []
    columns: _Columns | None = None  # the layout of the task table being read, if any
    group: str | None = None  # the table's current group row
    current: Task | None = None  # the prose task that lines of fields extend
    previous: Line | None = None
    implementing: str | None = None  # the level of the "Tổ chức thực hiện" section we are in
    for line in lines:
        implementing = _implementing(line, implementing)
        if line.cells is not None and (header := _header(line.cells)) is not None:
            columns, group = header, None
            continue
        if line.cells is not None and columns is not None:
            row = _row_task(line.cells, columns)
            if isinstance(row, str):
                group = row
            elif row is not None:
                tasks.append(_placed(row, line, group or area_of_line.get(line.index)))
            continue
        columns = group = None
        if implementing is not None:
            current = previous = None
            continue
        task, only_fields = _prose_task(line.text)
        if task is not None and only_fields and current is not None:
            _merge(current, task)
        elif task is not None and only_fields and previous is not None:
            # Fields under a sentence that named no unit: that sentence is the task.
            task.text = _task_text(previous.text)
            current = _placed(task, previous, area_of_line.get(previous.index))
            tasks.append(current)
        elif task is not None and not only_fields:
            current = _placed(task, line, area_of_line.get(line.index))
            tasks.append(current)
        else:
            current = None
        previous = line
    return [task for task in tasks if task.text]


def _implementing(line: Line, before: str | None) -> str | None:
    """The level of the "Tổ chức thực hiện" section `line` lies in, or None outside it.

    The section starts at a heading line that is that title and nothing more, written as a section
    ("III.", "# "), a numbered heading ("4.") or in capitals: a task item that starts with the same
    words ("a) Tổ chức thực hiện, kiểm tra ...", "- Tổ chức thực hiện kế hoạch ...") starts nothing.
    It ends at the next top-level section, the next heading of its own level ("5." after "4."), or an
    appendix. Task tables inside it (an appendix) are still read."""
    text = line.text.strip()
    if _APPENDIX.match(text):
        return None
    found = heading(line)
    if found is None or line.cells is not None:
        return before
    level = _heading_level(text)
    if before is not None and (found.is_section or level == before):
        before = None
    if level is not None and _IMPLEMENTATION.match(found.title) and _whole_line(text, found.title):
        return level
    return before


_LEVEL = re.compile(
    r"^(?:(#+)\s*|(?:(?:[Pp]hần|PHẦN|[Mm]ục|MỤC)\s+)?([IVXLC]+)\s*[.)/]\s*|(\d+(?:\.\d+)*)\s*[.)/]\s*)"
)


def _heading_level(text: str) -> str | None:
    """How a heading line is marked, to find the next one of the same level: "#"/"##", "roman",
    "1"/"1.1" (the depth of its number) or "caps"; None for letters, bullets and other lines."""
    match = _LEVEL.match(text)
    if match and match[1]:
        return match[1]
    if match and match[2]:
        return "roman"
    if match and match[3]:
        return "number" + "." * match[3].count(".")
    letters = [char for char in text if char.isalpha()]
    return "caps" if letters and text.upper() == text else None


def _whole_line(text: str, title: str) -> bool:
    """Whether the heading's title is the whole line (not the start of a sentence that runs on)."""
    rest = _LEVEL.sub("", _LEVEL.sub("", text, count=1), count=1).strip(" .:;")  # "# III. …"
    return squash(rest).casefold() == squash(title).casefold()


def _placed(task: Task, line: Line, area: str | None) -> Task:
    task.line, task.area = line.index, area
    return task


def _merge(task: Task, fields: Task) -> None:
    task.lead_unit = task.lead_unit or fields.lead_unit
    task.coordinating_units = task.coordinating_units or fields.coordinating_units
    task.deadline = task.deadline or fields.deadline
    task.product = task.product or fields.product


def _header(cells: tuple[str, ...]) -> _Columns | None:
    fields: dict[str, int] = {}
    for position, cell in enumerate(cells):
        lowered = cell.lower()
        for name, pattern in _COLUMNS:
            if pattern.search(lowered):
                fields.setdefault(name, position)
                break
    if "lead" not in fields:
        return None
    if "text" not in fields:
        # No column says "nhiệm vụ": the first one that is neither a number nor another field.
        free = [p for p in range(len(cells)) if p not in fields.values()]
        if not free:
            return None
        fields["text"] = free[0]
    return _Columns(fields)


def _row_task(cells: tuple[str, ...], columns: _Columns) -> Task | str | None:
    """A task, or the title of a group row ("II | CẢI CÁCH THỦ TỤC HÀNH CHÍNH"), or None to skip."""
    filled = [cell for cell in cells if cell]
    if not filled or all(_COLUMN_NUMBERS.match(cell) for cell in filled):
        return None  # an empty row, or the "(1) | (2) | (3)" row that numbers the columns

    def cell(name: str) -> str | None:
        position = columns.fields.get(name)
        if position is None or position >= len(cells):
            return None
        return cells[position] or None

    text = cell("text")
    details = [cell(name) for name in ("lead", "coordinating", "deadline", "product")]
    number = cell("number")
    if not any(details):
        titles = [c for c in filled if c != number]
        title = text or (titles[0] if titles else None)
        if title and (number is None or _ROMAN.fullmatch(number) or title.isupper()):
            return re.sub(r"^(?:[IVXLC]+|\d+)[.)]\s*", "", title)  # a group row: "I. CẢI CÁCH THỂ CHẾ"
    if not text:
        return None
    lead, coordinating, deadline, product = details
    return Task(
        text=text,
        lead_unit=lead,
        coordinating_units=_split_units(coordinating) if coordinating else [],
        deadline=deadline,
        product=product,
    )


def _labelled_fields(text: str) -> tuple[dict[str, str], int | None]:
    """The labelled fields of a line ("Cơ quan chủ trì: Sở Nội vụ; Thời gian: Quý I/2025"), and where
    the first label starts."""
    labels = list(_LABEL_RE.finditer(text))
    fields: dict[str, str] = {}
    for position, label in enumerate(labels):
        end = labels[position + 1].start() if position + 1 < len(labels) else len(text)
        value = re.split(r";|\)", text[label.end() : end])[0]
        value = squash(value).strip(" ,.;")
        if value and label.lastgroup:
            fields.setdefault(label.lastgroup, value)
    return fields, (labels[0].start() if labels else None)


def _prose_task(text: str) -> tuple[Task | None, bool]:
    """The task a prose line describes, and whether the line held nothing but labelled fields."""
    fields, first_label = _labelled_fields(text)
    body = text if first_label is None else text[:first_label]
    if fields and not _task_text(body):
        # A line of fields only ("Cơ quan phối hợp: ..."): they belong to the task above.
        return _fields_task(fields), True
    lead = fields.get("lead")
    if lead is None:
        lead = _lead_before(text)
    if lead is None and not ({"deadline", "product"} & fields.keys()):
        return None, False
    coordinating = fields.get("coordinating")
    if coordinating is None and lead is not None:
        match = _COORDINATING_AFTER.search(text)
        if match:
            coordinating = _until_action(match.group("units"))
    deadline = fields.get("deadline")
    if deadline is None:
        match = _DEADLINE.search(body)
        if match:
            # "hoàn thành trong Quý II/2025" -> "Quý II/2025"; "trước ngày 30/6" keeps its "trước".
            deadline = re.sub(r"^(?:(?:hoàn thành|thực hiện|xong|trong|vào)\s+)+", "", squash(match.group(0)))
    task = Task(
        text=_task_text(body),
        lead_unit=lead,
        coordinating_units=_split_units(coordinating) if coordinating else [],
        deadline=deadline,
        product=fields.get("product"),
    )
    return task, False


def _fields_task(fields: dict[str, str]) -> Task:
    coordinating = fields.get("coordinating")
    return Task(
        text="",
        lead_unit=fields.get("lead"),
        coordinating_units=_split_units(coordinating) if coordinating else [],
        deadline=fields.get("deadline"),
        product=fields.get("product"),
    )


def _lead_before(text: str) -> str | None:
    """The unit named just before "chủ trì", if any: an agency's name, or any capitalised name when
    "chủ trì" is used as a role ("Các sở, ngành chủ trì, phối hợp ...")."""
    for match in _LEAD_BEFORE.finditer(text):
        lead = _LEAD_PREFIX.sub("", squash(match.group("lead")))
        if re.match(_AGENCY + r"\b", lead) or (lead[:1].isupper() and _ROLE_FOLLOWS.match(text, match.end())):
            return lead
    return None


def _until_action(units: str) -> str:
    match = _ACTION.search(units)
    return (units[: match.start()] if match else units).strip(" ,")


def _task_text(body: str) -> str:
    body = re.sub(r"\([^()]*chủ trì[^()]*\)", "", body)  # "(Sở Nội vụ chủ trì, ...)" is not the task
    return squash(_BULLET.sub("", body)).strip(" ,.;:-")


def _split_units(text: str) -> list[str]:
    """Unit names in a list, keeping "sở, ban, ngành" and "Sở Lao động - Thương binh và Xã hội" whole."""
    mask = protected_mask(text)
    parts, start = [], 0
    for match in _UNIT_SPLIT.finditer(text):
        if mask[match.start()]:
            continue
        parts.append(text[start : match.start()])
        start = match.end()
    parts.append(text[start:])
    return [squash(part).strip(" .") for part in parts if squash(part).strip(" .")]
