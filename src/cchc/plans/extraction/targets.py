"""Numeric targets (chỉ tiêu): every number a plan commits to, with its comparator and unit.

A number becomes a target when it is
- a percentage ("100%", "97,5 phần trăm"; "10%/năm" is a yearly increment, unit "% per year");
- an amount of money ("8.200 tỷ đồng") in a clause that commits to it ("đạt", "phấn đấu", a comparator);
- a rank threshold ("nằm trong nhóm 20 tỉnh dẫn đầu": <= 20, unit "rank");
- a count with an explicit bound ("ít nhất 02 cuộc", "không quá 3 lần", "85 điểm trở lên"); a bare count
  ("215 cơ quan", "09 chỉ tiêu") describes, it does not commit.
Years, dates, document numbers, level labels ("mức độ 3, 4"), standards ("ISO 9001:2015") and results
already achieved are left out. A clause with several numbers gives one target per number.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from cchc.plans.extraction import target_tables
from cchc.plans.extraction.comparators import bound_after, comparator_before
from cchc.plans.extraction.headings import section_of_lines
from cchc.plans.extraction.model import Target
from cchc.plans.extraction.numbers import NUMBER_RE, parse_number
from cchc.plans.extraction.text import Line, clauses, sentences, squash, unprotected_commas
from cchc.plans.extraction.units import RANK, is_percent_at, is_structural, unit_after

# Words before a number that make it a label or a reference ("mức độ 3", "Kế hoạch số 95"), not a count.
_LABEL_BEFORE = re.compile(
    r"(?:\bsố|\biso|\btcvn|mức độ|\bmức|cấp độ|phiên bản|\bđiều|\bkhoản|\bđiểm|chương|\bmục|\bphần|nhiệm kỳ"
    r"|\bkhóa|lần thứ|\bđợt|giai đoạn|\bnăm|\btháng|\bngày|\bquý|\bthứ|\bhạng|\bnghị định|\bquyết định"
    r"|\bthông tư|\bkế hoạch|\bcông văn|\bnghị quyết|\bchỉ thị|\bluật)\s*$"
)
# Money is a target only in a clause that commits to it; "kinh phí 500 triệu đồng" is a budget.
_MONEY_COMMITMENT = re.compile(r"\b(?:đạt|phấn đấu|thu|tăng|giảm|huy động|thu hút|chỉ tiêu)\b")
_RANK = re.compile(
    r"(?:nhóm|top|tốp)\s+(?:các\s+)?(?P<group>\d{1,2})\s+(?:[^\d;:.]{0,50}?\s)?"
    r"(?:dẫn đầu|đứng đầu|cao nhất|tốt nhất|xuất sắc nhất)"
    r"|(?:top|tốp)\s+(?P<top>\d{1,2})(?!\w)"
    r"|(?:xếp|đứng)\s+(?:hạng|thứ)\s+(?:thứ\s+)?(?P<place>\d{1,2})(?:/\d+)?(?P<up>\s+trở lên)?",
    re.IGNORECASE,
)
# Words of commitment: a sentence with one of them is about the plan, whatever years it mentions.
_FUTURE = re.compile(
    r"\b(?:phấn đấu|chỉ tiêu|mục tiêu|đến năm|đến hết năm|bảo đảm|đảm bảo|tối thiểu|ít nhất|trở lên"
    r"|nâng (?:thứ hạng|hạng|lên))\b"
)
# An achieved result: "đã đạt 95%", "đạt được 90%" just before the number ...
_ACHIEVED = re.compile(r"\b(?:đã|đạt được)\b(?:\s+\S+){0,3}\s*$")
# ... or a sentence that reports ("thời gian qua", "đến nay") and commits to nothing.
_REPORTING = re.compile(
    r"\b(?:năm qua|thời gian qua|vừa qua|đến nay|hiện nay|hiện tại|kết quả đạt|kết quả thực hiện)\b"
)
_TITLE_LINES = 40  # the plan's title is among its first lines
_RESULTS_SECTION = re.compile(r"kết quả|đánh giá|tình hình", re.IGNORECASE)
_PLAN_SECTION = re.compile(r"mục tiêu|chỉ tiêu|nhiệm vụ|giải pháp|kế hoạch|phương hướng", re.IGNORECASE)
_LEAD_IN = re.compile(
    r"^\s*(?:[-+*•–—]\s*|(?:[IVX]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s+"
    r"|(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười(?: một| hai| ba)?) là,?\s*"
    r"|thứ (?:nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười),?\s*|đồng thời,?\s*)+",
    re.IGNORECASE,
)
_SCOPE = re.compile(r"\bcấp (?:tỉnh|huyện|xã)(?:(?:\s*,\s*|\s+và\s+)(?:cấp\s+)?(?:tỉnh|huyện|xã)\b)*")


@dataclass
class _Mention:
    """A number in a clause: where its comparator starts, where its unit ends, and what it says."""

    start: int
    end: int
    comparator: str
    value: Decimal
    unit: str


def find_targets(lines: list[Line]) -> list[Target]:
    plan_year = _plan_year(lines)
    section_of_line = section_of_lines(lines)
    targets: list[Target] = []
    table: target_tables.TargetTable | None = None
    for line in lines:
        if _reports_results(section_of_line[line.index]):
            continue
        if line.cells is not None and (header := target_tables.target_table(line.cells, plan_year)):
            table = header
            continue
        if line.cells is not None and table is not None:
            found = target_tables.row_targets(line.cells, table, plan_year, targets_in_text)
        else:
            table = None if line.cells is None else table
            found = targets_in_text(line.text, plan_year)
        for target in found:
            target.line = line.index
            targets.append(target)
    return targets


def targets_in_text(text: str, plan_year: int | None = None, *, bare_counts: bool = False) -> list[Target]:
    """The targets of one line or paragraph.

    `plan_year` (the year the plan is for) lets a sentence about an earlier year be read as a past
    result; `bare_counts` accepts counts without a comparator, for the rows of a table of targets.
    """
    found = []
    for sentence_start, sentence_end in sentences(text):
        if _about_the_past(text[sentence_start:sentence_end].lower(), plan_year):
            continue
        for clause_start, clause_end in clauses(text, sentence_start, sentence_end):
            clause = text[clause_start:clause_end]
            found += _targets_from_mentions(clause, _mentions(clause, bare_counts))
    return found


def _about_the_past(sentence: str, plan_year: int | None) -> bool:
    """A sentence that reports results (of an earlier year, or "thời gian qua") and commits to nothing."""
    if _FUTURE.search(sentence):
        return False
    if _REPORTING.search(sentence):
        return True
    if plan_year is None:
        return False
    # "so với năm 2023" is a baseline for a target, not a report.
    return any(int(year) < plan_year for year in re.findall(r"(?<!so với )năm (\d{4})\b", sentence))


def _reports_results(section: str | None) -> bool:
    """A section that reports what was done ("I. KẾT QUẢ THỰC HIỆN NĂM 2025") rather than plans."""
    return (
        section is not None and bool(_RESULTS_SECTION.search(section)) and not _PLAN_SECTION.search(section)
    )


def _plan_year(lines: list[Line]) -> int | None:
    """The year of the plan, from its title ("KẾ HOẠCH ... NĂM 2025", "Kế hoạch ... giai đoạn 2021-2025")."""
    for position, line in enumerate(lines[:_TITLE_LINES]):
        lowered = line.text.lower()
        if not re.match(r"(?:#+\s*)?kế hoạch\b", lowered):
            continue
        # The title may go on over the next lines ("KẾ HOẠCH" / "Cải cách hành chính năm 2025").
        title = " ".join(other.text.lower() for other in lines[position : position + 3])
        years = re.findall(r"\bnăm (\d{4})\b", lowered) or re.findall(r"\bnăm (\d{4})\b", title)
        if years:
            return max(int(year) for year in years)
        period = re.search(r"giai đoạn (\d{4})\s*[-–]\s*\d{4}", title)
        if period:
            return int(period.group(1))
    return None


def _mentions(clause: str, bare_counts: bool) -> list[_Mention]:
    """The target-bearing numbers of one clause, in order."""
    lowered = clause.lower()
    ranks = _ranks(lowered)
    numbers = [m for m in NUMBER_RE.finditer(clause) if not any(r.start <= m.start() < r.end for r in ranks)]
    candidates: list[_Mention | re.Match[str]] = sorted(
        [*ranks, *numbers], key=lambda item: item.start if isinstance(item, _Mention) else item.start()
    )
    mentions: list[_Mention] = []
    previous_end = 0
    inherited: str | None = None  # "<=" for the upper end of "từ X đến Y"
    for candidate in candidates:
        if isinstance(candidate, _Mention):
            mention: _Mention | None = candidate
        else:
            mention, inherited = _number_mention(
                clause, lowered, candidate, previous_end, inherited, bare_counts
            )
        if mention is None:
            continue
        previous_end = mention.end
        number_start = candidate.start if isinstance(candidate, _Mention) else candidate.start()
        if not _ACHIEVED.search(lowered[:number_start]):
            mentions.append(mention)
    return mentions


def _ranks(lowered: str) -> list[_Mention]:
    """Rank thresholds: "thuộc nhóm 10 tỉnh dẫn đầu" (<= 10), "xếp thứ 20 trở lên" (<= 20)."""
    ranks = []
    for match in _RANK.finditer(lowered):
        if match.group("group") or match.group("top"):
            place = Decimal(match.group("group") or match.group("top"))
            ranks.append(_Mention(match.start(), match.end(), "<=", place, RANK))
        elif match.group("up") or _FUTURE.search(lowered[: match.start()]):
            # A bare "xếp thứ 27/63" is a result unless the clause commits to it ("phấn đấu xếp thứ 20").
            comparator = "<=" if match.group("up") else "="
            ranks.append(
                _Mention(match.start(), match.end(), comparator, Decimal(match.group("place")), RANK)
            )
    return ranks


def _number_mention(
    clause: str,
    lowered: str,
    match: re.Match[str],
    previous_end: int,
    inherited: str | None,
    bare_counts: bool,
) -> tuple[_Mention | None, str | None]:
    """The mention for one number token (or None), and the comparator the next number inherits."""
    start, end = match.start(), match.end()
    value = parse_number(match.group(0))
    comparator, comparator_start = comparator_before(lowered[previous_end:start])
    comparator_start += previous_end
    if comparator is None and inherited:
        comparator, comparator_start = inherited, start
    if re.match(r"\s?[-–]\s?\d+(?:[.,]\d+)?\s?%", clause[end:]):
        # "80 - 90%": the unit is written once, after the upper end.
        return _Mention(comparator_start, end, ">=", value, "%"), "<="
    if _is_reference(clause, start, end):
        return None, None
    quantity = unit_after(clause, end, value)
    if quantity is None:
        return None, None
    unit_end, after = quantity.end, lowered[quantity.end :]
    inherit = None
    bound = bound_after(after, loose=comparator == "from")
    if bound:
        comparator, unit_end = bound[0], unit_end + bound[1]
    elif comparator == "from":
        if re.match(r"\s*(?:đến|tới|-|–)\s*\d", after):
            comparator, inherit = ">=", "<="
        elif re.match(r"\s*(?:lên|xuống)\s", after):
            return None, None  # "từ 80% lên 90%": the first number is where things stand now
        else:
            comparator = ">="  # "đạt từ 80%"
    mention = _Mention(comparator_start, unit_end, comparator or "=", quantity.value, quantity.unit)
    if quantity.is_percentage:
        return mention, inherit
    if quantity.is_money:
        committed = comparator is not None or _MONEY_COMMITMENT.search(lowered[:start])
        return (mention, inherit) if committed else (None, None)
    # A count: needs an explicit bound (or a row of a target table), and is never a label or a part
    # of the plan itself.
    bounded = comparator in (">=", "<=") or bare_counts
    if not bounded or _LABEL_BEFORE.search(lowered[:start]) or is_structural(quantity.unit):
        return None, None
    return mention, inherit


def _is_reference(clause: str, start: int, end: int) -> bool:
    """Dates (15/6/2026), fractions (27/63), document numbers (123/KH-UBND), 9001:2015, years 2026-2030."""
    if start >= 2 and clause[start - 1] in "/:-–" and clause[start - 2].isalnum():
        return not is_percent_at(clause, end)
    return bool(re.match(r"[/:]\w|\s?[-–]\s?\d", clause[end : end + 3]))


def _targets_from_mentions(clause: str, mentions: list[_Mention]) -> list[Target]:
    """One target per mention; mentions with nothing between them ("từ 80% đến 90%") share their text."""
    targets: list[Target] = []
    begin, group = 0, []
    for position, mention in enumerate(mentions):
        group.append(mention)
        last = position + 1 == len(mentions)
        cut = None if last else _cut(clause, mention.end, mentions[position + 1].start)
        if cut is None and not last:
            continue
        end, next_begin = cut or (len(clause), len(clause))
        span = _tidy(clause[begin:end])
        for member in group:
            targets.append(Target(span, member.comparator, member.value, member.unit, scope=_scope(span)))
        begin, group = next_begin, []
    return targets


def _cut(clause: str, after: int, before: int) -> tuple[int, int] | None:
    """Where one target's text ends and the next one's begins: at the last list comma between them,
    else at a joining word ("và", "hoặc", "đồng thời"); None when nothing separates them."""
    gap = clause[after:before]
    commas = unprotected_commas(gap)
    if commas:
        return after + commas[-1], after + commas[-1] + 1
    joins = list(re.finditer(r"\s(?:và|hoặc|đồng thời|còn)\s", gap))
    if joins:
        return after + joins[-1].start(), after + joins[-1].end()
    return None


def _tidy(span: str) -> str:
    return _LEAD_IN.sub("", squash(span)).strip(" ,.;:")


def _scope(span: str) -> str | None:
    """The administrative levels a target names ("cấp tỉnh, cấp huyện", "cấp xã"), if any."""
    levels = [match.group(0) for match in _SCOPE.finditer(span.lower())]
    return "; ".join(dict.fromkeys(levels)) or None
