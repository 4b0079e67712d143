"""Comparators: how Vietnamese phrasing bounds a number (>=, >, =, <=, <).

tối thiểu / ít nhất / không dưới / từ X trở lên / X trở lên     >=
trên / hơn / cao hơn                                         >
dưới / xuống dưới / thấp hơn                                 <
không quá / không vượt quá / tối đa / xuống còn / X trở xuống  <=
a bare value, "đạt X", "phấn đấu X"                           =
"""

import re

# Phrases that stand right before the number ("mức", "là" and similar fillers aside). The longest
# come first so that "không dưới" is not read as "dưới" and "xuống dưới" wins over "dưới".
IMMEDIATE = (
    ("không vượt quá", "<="),
    ("không cao hơn", "<="),
    ("không nhiều hơn", "<="),
    ("không quá", "<="),
    ("tối đa", "<="),
    ("xuống còn", "<="),
    ("giảm còn", "<="),
    ("không thấp hơn", ">="),
    ("không ít hơn", ">="),
    ("không dưới", ">="),
    ("tối thiểu", ">="),
    ("ít nhất", ">="),
    ("xuống dưới", "<"),
    ("thấp hơn", "<"),
    ("ít hơn", "<"),
    ("dưới", "<"),
    ("cao hơn", ">"),
    ("nhiều hơn", ">"),
    ("hơn", ">"),
    ("trên", ">"),
    ("từ", "from"),  # settled by what follows: "từ X trở lên", "từ X đến Y", "từ X lên Y"
)
# Bounding phrases that may stand a few words before the number: "ít nhất đối với 25% đơn vị".
# "trên" and "dưới" are not among them: they are also prepositions ("trên địa bàn", "dưới sự chỉ đạo").
DISTANT = re.compile(
    r"(?<!\w)(?:không vượt quá|không quá|tối đa|không thấp hơn|không ít hơn|không dưới|tối thiểu|ít nhất)"
)
DISTANT_WORDS = 4
SYMBOLS = (("≥", ">="), (">=", ">="), ("≤", "<="), ("<=", "<="), (">", ">"), ("<", "<"), ("=", "="))
# Words that may sit between a comparator and its number: "tối thiểu là 30%", "trên mức 90%".
_FILLERS = re.compile(r"(?:\s+(?:ở mức|đạt mức|mức|là|đạt|bằng|khoảng|con số))+\s*$")
# After the number and its unit: "91% trở lên", "5 ngày trở xuống" (also "trở lại", as in "5 ngày trở lại").
BOUND_AFTER = re.compile(r"\s*(?P<bound>trở lên|trở xuống|trở lại)\b")
# After "từ X", up to three words may come before "trở lên": "từ 80% số hồ sơ trở lên".
LOOSE_BOUND_AFTER = re.compile(r"(?:\s+\S+){0,3}?\s+(?P<bound>trở lên|trở xuống|trở lại)\b")


def comparator_before(window: str) -> tuple[str | None, int]:
    """The comparator that ends `window` (lower-case text before a number) and where it starts.

    Returns (None, len(window)) when nothing bounds the number.
    """
    text = _FILLERS.sub("", window.rstrip()).rstrip()
    for symbol, comparator in SYMBOLS:
        if text.endswith(symbol):
            return comparator, len(text) - len(symbol)
    for phrase, comparator in IMMEDIATE:
        if re.search(rf"(?:^|\W){re.escape(phrase)}$", text):
            return comparator, len(text) - len(phrase)
    distant = list(DISTANT.finditer(text))
    if distant:
        # Only the nearest bounding phrase may reach the number, across a few words and no other number.
        between = text[distant[-1].end() :]
        if len(between.split()) <= DISTANT_WORDS and not re.search(r"\d", between):
            return dict(IMMEDIATE)[distant[-1].group(0)], distant[-1].start()
    return None, len(window)


def bound_after(after: str, loose: bool = False) -> tuple[str, int] | None:
    """ ">=" or "<=" when `after` (the text after a number and its unit) starts with "trở lên" or
    "trở xuống", with the length to skip; `loose` lets a few words come first."""
    match = BOUND_AFTER.match(after) or (LOOSE_BOUND_AFTER.match(after) if loose else None)
    if match is None:
        return None
    return (">=" if match.group("bound") == "trở lên" else "<="), match.end()
