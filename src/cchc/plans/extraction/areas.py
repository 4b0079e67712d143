"""Reform areas (lĩnh vực, nhóm nhiệm vụ): found in headings, or in a sentence that lists them.

A heading is an area when its title names one of the standard areas of the national programme
(Nghị quyết 76/NQ-CP: thể chế, thủ tục hành chính, tổ chức bộ máy, công vụ, tài chính công, Chính phủ
điện tử/số) or the groups that provincial plans add (chỉ đạo điều hành, tuyên truyền, kiểm tra). The
title is kept in the document's own words. Document sections ("I. MỤC ĐÍCH, YÊU CẦU") are not areas.
"""

import re

from cchc.plans.extraction.headings import Heading, clean, heading
from cchc.plans.extraction.model import Area
from cchc.plans.extraction.text import Line, protected_mask, sentences

_HOA = r"h(?:óa|oá)"  # both spellings of "hóa" are in use

# (key, pattern, core): core areas are also recognised when a sentence lists them in running prose.
STANDARD_AREAS: tuple[tuple[str, str, bool], ...] = (
    ("direction", r"(?:công tác\s+)?(?:lãnh đạo,\s*)?chỉ đạo,?\s*(?:và\s+)?điều hành", True),
    ("institutions", r"(?:cải cách|hoàn thiện)\s+thể chế", True),
    (
        "procedures",
        r"(?:cải cách|kiểm soát)\s+(?:thủ tục hành chính|tthc)"
        r"|(?:thực hiện\s+)?cơ chế một cửa(?:,\s*một cửa liên thông)?",
        True,
    ),
    ("organisation", r"(?:cải cách|sắp xếp|kiện toàn)\s+(?:tổ chức\s+)?bộ máy", True),
    (
        "civil_service",
        r"cải cách\s+(?:chế độ\s+)?công vụ"
        r"|(?:xây dựng(?:,|\s+và)?\s+)?nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức",
        True,
    ),
    ("public_finance", r"cải cách\s+tài chính công", True),
    (
        "e_government",
        r"(?:xây dựng(?:,|\s+và)?\s+(?:phát triển\s+)?|phát triển\s+)?"
        r"(?:chính phủ|chính quyền)\s+(?:điện tử|số)(?:,\s*(?:chính phủ|chính quyền)\s+số)?"
        rf"|hiện đại {_HOA}\s+(?:nền\s+)?hành chính",
        True,
    ),
    ("communication", r"(?:công tác\s+)?(?:thông tin,\s*)?tuyên truyền", False),
    ("inspection", r"(?:công tác\s+)?(?:thanh tra,\s*)?kiểm tra(?:,\s*giám sát)?", False),
)
_AREA_PATTERNS = [(key, re.compile(pattern, re.IGNORECASE), core) for key, pattern, core in STANDARD_AREAS]
# The areas' short names, as a tight list gives them: "trên các lĩnh vực thể chế, thủ tục hành chính,
# tổ chức bộ máy, công vụ, tài chính công và chính quyền số".
SHORT_NAMES: tuple[tuple[str, str], ...] = (
    ("direction", r"chỉ đạo,?\s*điều hành"),
    ("institutions", r"thể chế"),
    ("procedures", r"thủ tục hành chính|tthc"),
    ("organisation", r"tổ chức bộ máy(?:\s+hành chính(?:\s+nhà nước)?)?"),
    ("civil_service", r"(?:chế độ\s+)?công vụ(?:,\s*công chức)?"),
    ("public_finance", r"tài chính công"),
    ("e_government", r"(?:chính phủ|chính quyền)\s+(?:điện tử|số)(?:,\s*(?:chính phủ|chính quyền)\s+số)?"),
)
_SHORT_ITEM = re.compile(
    r"(?<!\w)(?:cải cách\s+|xây dựng(?:,|\s+và)?\s+(?:phát triển\s+)?)?(?:"
    + "|".join(f"(?P<{key}>{pattern})" for key, pattern in SHORT_NAMES)
    + r")(?!\w)",
    re.IGNORECASE,
)
_LIST_SEPARATOR = re.compile(r"\s*(?:,|;|,?\s+và|,?\s+cùng)\s*", re.IGNORECASE)
_MIN_TIGHT_ITEMS = 4  # a list of short names must be long enough not to be an accident of wording

# How far into a heading's title the area's name may start: "Đẩy mạnh cải cách thể chế".
_MAX_WORDS_BEFORE = 3
# Where a listed item stops when nothing follows it but the rest of the sentence.
_ITEM_STOP = re.compile(r"\s(?:nhằm|để|theo|góp phần|bảo đảm|đảm bảo|trên địa bàn|trong năm|giai đoạn)\b")


def find_areas(lines: list[Line]) -> list[Area]:
    """The areas, each standard area at most once, in document order; headings win over prose lists."""
    from_headings = [area for area, _ in _heading_areas(lines) if area is not None]
    areas = _unique(from_headings)
    covered = {area.standard for area in areas}
    areas += [area for area in _unique(_listed_areas(lines)) if area.standard not in covered]
    return sorted(areas, key=lambda area: area.line)


def area_of_lines(lines: list[Line]) -> dict[int, str | None]:
    """For each line index, the title of the area heading it falls under (None outside any area)."""
    result: dict[int, str | None] = {}
    current: str | None = None
    headings = {found.line: (area, found) for area, found in _heading_areas(lines)}
    for line in lines:
        if line.index in headings:
            area, found = headings[line.index]
            if area is not None:
                current = area.title
            elif found.is_section:
                current = None  # a section that is not an area ("III. TỔ CHỨC THỰC HIỆN") ends the last one
        result[line.index] = current
    return result


def _unique(areas: list[Area]) -> list[Area]:
    """The first area of each standard key: an appendix table repeats the headings of the text."""
    seen, kept = set(), []
    for area in areas:
        if area.standard not in seen:
            seen.add(area.standard)
            kept.append(area)
    return kept


def _heading_areas(lines: list[Line]) -> list[tuple[Area | None, Heading]]:
    """Every heading, with the area it names (None for a heading that names no standard area)."""
    found = []
    for line in lines:
        title = heading(line)
        if title is None:
            continue
        standard = _standard_at_start(title.title)
        area = Area(title=title.title, standard=standard, line=line.index) if standard else None
        found.append((area, title))
    return found


def _standard_at_start(title: str) -> str | None:
    """The standard area a heading's title names, if it names one near its start."""
    for key, pattern, _core in _AREA_PATTERNS:
        match = pattern.search(title)
        if match and len(title[: match.start()].split()) <= _MAX_WORDS_BEFORE:
            return key
    return None


def _listed_areas(lines: list[Line]) -> list[Area]:
    """Areas listed in running prose: a sentence naming at least three core areas, split into its items."""
    areas = []
    for line in lines:
        if line.cells is not None:
            continue
        for start, end in sentences(line.text):
            sentence = line.text[start:end]
            items = _items_by_full_name(sentence) or _items_by_short_name(sentence)
            areas += [Area(title=title, standard=key, line=line.index) for key, title in items]
    return areas


def _items_by_full_name(sentence: str) -> list[tuple[str, str]]:
    """(key, title) of the items of a sentence naming at least three core areas in full."""
    matches = _core_matches(sentence)
    if len({key for key, _, _ in matches}) < 3:
        return []
    items = []
    for position, (key, item_start, item_end) in enumerate(matches):
        if position + 1 < len(matches):
            stop = _last_separator(sentence, item_end, matches[position + 1][1])
        else:
            stop = _item_end(sentence, item_end)
        items.append((key, clean(sentence[item_start:stop])))
    return items


def _items_by_short_name(sentence: str) -> list[tuple[str, str]]:
    """(key, title) of a tight list of short names: nothing but separators between the items."""
    run: list[re.Match[str]] = []
    best: list[re.Match[str]] = []
    for match in _SHORT_ITEM.finditer(sentence):
        if run and not _LIST_SEPARATOR.fullmatch(sentence, run[-1].end(), match.start()):
            run = []
        run.append(match)
        if len({m.lastgroup for m in run}) > len({m.lastgroup for m in best}):
            best = list(run)
    if len({m.lastgroup for m in best}) < _MIN_TIGHT_ITEMS:
        return []
    return [(str(m.lastgroup), clean(m.group(0))) for m in best]


def _core_matches(sentence: str) -> list[tuple[str, int, int]]:
    """Non-overlapping matches of the core areas, leftmost first, longest on a tie."""
    found = []
    for key, pattern, core in _AREA_PATTERNS:
        if core:
            found += [(key, match.start(), match.end()) for match in pattern.finditer(sentence)]
    found.sort(key=lambda item: (item[1], -item[2]))
    kept: list[tuple[str, int, int]] = []
    for item in found:
        if not kept or item[1] >= kept[-1][2]:
            kept.append(item)
    return kept


def _last_separator(sentence: str, after: int, before: int) -> int:
    """The start of the last list separator (comma, semicolon, "và") between two items."""
    gap = sentence[after:before]
    mask = protected_mask(sentence)
    candidates = [after + m.start() for m in re.finditer(r"[,;]|\svà\s", gap) if not mask[after + m.start()]]
    return candidates[-1] if candidates else before


def _item_end(sentence: str, after: int) -> int:
    """Where the last listed item ends: the next break, a connective ("nhằm", "để"), or the sentence end."""
    mask = protected_mask(sentence)
    ends = [
        position
        for position in range(after, len(sentence))
        if sentence[position] in ",;:." and not mask[position]
    ]
    stop = _ITEM_STOP.search(sentence, after)
    candidates = [*ends[:1], *([stop.start()] if stop else []), len(sentence)]
    return min(candidates)
