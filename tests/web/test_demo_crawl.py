"""Crawls the demo province as each demo account and fails on words meant for machines.

test_machine_words.py crawls a small constructed province page by page; this one loads the real demo
once (a fixed day, so the findings do not change with the calendar; its small form, with a tenth of
the dossiers, since the suite runs twice in CI) and follows the links a person would: from the home
page, every same-site link of every page reached, GET only. A view reached with many objects (a
hundred dossiers) is visited once per account: its pages share a template. Downloads are not read. What
is looked for: the patterns of test_machine_words, ISO times with a space, "None", periods written
as "2026-M9", dotted action names such as "feedback.publish", and common English interface words
left untranslated. A page that fails with a server error is a finding too.
"""

import datetime
import io
import re
from collections import Counter, deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import Resolver404, resolve

from cchc.accounts.models import User
from cchc.demo.people import demo_people
from tests.web.test_machine_words import MACHINE_PATTERNS, visible_text

DEMO_DAY = datetime.date(2026, 11, 20)  # a Friday, near the year's end: every round of reports has begun
PAGE_LIMIT = 400  # per account
PER_VIEW = 1  # pages of one view visited per account (another is tried when one is not a page)
# Views that answer with a file, whatever their address: building one costs time and shows no page.
DOWNLOADS = {
    "web:brief-download",
    "onestop:import-errors",
    "plans:plan-document",
    "units:import-template",
    "plans:update-evidence",
    "plans:report-evidence",
    "plans:report-docx",
    "plans:report-xlsx",
    "parindex:evidence",
    "parindex:results-xlsx",
    "parindex:annex-docx",
    "parindex:criteria-export",
    "surveys:results-xlsx",
    "surveys:report-docx",
    "surveys:feedback-xlsx",
}
SKIPPED = ("/admin/", "/api/", "/static/", "/media/", "/i18n/", "/dang-xuat/", "/logout/")
FILE_ENDINGS = (".csv", ".xlsx", ".docx", ".pdf", ".json", ".zip", ".png", ".svg", ".ico", ".js", ".css")
# Words of the interface that should have come out in Vietnamese, written with their English capital so
# that Vietnamese text and names do not match.
ENGLISH_WORDS = (
    "Save|Cancel|Submit|Value|Status|Search|Next|Previous|Delete|Edit|Download|Upload|Unit|Units|"
    "Period|Actions|Total|Date|Name|Created|Updated|Details|Back|Sign in|Log out|Overview|Report|"
    "Reports|Task|Tasks|Target|Targets|Deadline|Progress|Comment|Reason|Score|Result|Results|Phase|"
    "Campaign|Feedback|Dossier|Dossiers|Procedure|Approve|Accept|Return|Draft|Submitted|Accepted|"
    "Returned|Approved|Pending|Overdue|Late|On time|Yes|Filter|Show|Page|of"
)
PATTERNS = {
    **MACHINE_PATTERNS,
    "ISO time": re.compile(r"\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}"),
    "None": re.compile(r"\bNone\b"),
    "machine period": re.compile(r"\b\d{4}-(?:M|Q|H)\d{1,2}\b"),
    "dotted name": re.compile(r"\b[a-z]+\.[a-z]+(?:_[a-z]+)*\b"),
    "English word": re.compile(rf"(?<![\w/.-])(?:{ENGLISH_WORDS})(?![\w/.-])"),
}
# Dotted words that are not machine names: the demo's user names and file and site names.
DOTTED_ALLOWED = re.compile(r"\.(csv|xlsx|docx|pdf|json|zip|vn|com|org|net)$")
LINK = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']([^"'#]+)""", re.I)


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", "--today", DEMO_DAY.isoformat(), "--small", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def _usernames() -> list[str]:
    return [person["username"] for person in demo_people()]


def _view_key(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _findings(path: str, text: str, usernames: set[str]) -> list[str]:
    found = []
    for label, pattern in PATTERNS.items():
        for match in pattern.finditer(text):
            word = match.group(0)
            if label == "dotted name" and (word in usernames or DOTTED_ALLOWED.search(word)):
                continue
            context = text[max(match.start() - 50, 0) : match.end() + 50]
            found.append(f"{path} ({label}): …{context}…")
    return found


def crawl(client, usernames: set[str]) -> tuple[list[str], int]:
    """Visit what is reachable from the home page; return the findings and the number of pages read
    (with one page per view, about the number of kinds of page reached)."""
    queue, seen, per_view, found, pages = deque([("/", "")]), {"/"}, Counter(), [], 0
    while queue and pages < PAGE_LIMIT:
        path, view = queue.popleft()
        response = client.get(path)
        if response.status_code >= 500:
            found.append(f"{path}: server error {response.status_code}")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            per_view[view] -= 1  # not a page: let another link of the view be tried
            continue
        pages += 1
        html = response.getvalue().decode(errors="replace")
        found += _findings(path, visible_text(html), usernames)
        for href in LINK.findall(html):
            parts = urlsplit(urljoin(path, href.replace("&amp;", "&")))
            if parts.netloc or parts.scheme not in ("", "http", "https"):
                continue  # another site, mailto:, tel:
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen or parts.path.startswith(SKIPPED) or parts.path.endswith(FILE_ENDINGS):
                continue
            view = _view_key(parts.path)
            if view is None or view in DOWNLOADS or per_view[view] >= PER_VIEW:
                continue
            seen.add(target)
            per_view[view] += 1
            queue.append((target, view))
    return found, pages


@pytest.mark.parametrize("username", _usernames())
def test_no_demo_page_shows_machine_words(demo_site, db, client, username):
    client.raise_request_exception = False
    client.force_login(User.objects.get(username=username))
    found, pages = crawl(client, set(_usernames()))
    # Each account reaches some 40 to 60 kinds of page in the demo: far fewer means links went missing.
    assert pages > 30, f"the crawl must reach the pages behind the navigation ({pages} reached)"
    assert found == [], f"{len(found)} findings for {username}:\n" + "\n".join(sorted(set(found))[:80])


def test_the_patterns_catch_machine_words_and_let_vietnamese_through():
    """Without this, a pattern broken by an edit would let every crawl pass."""
    bad = [
        "Đổi thiết lập demo_surveys",
        "phản ánh feedback.publish",
        "đơn vị: ∅ → 3",
        "lúc 2026-10-05T14:03:00",
        "lúc 2026-10-05 14:03",
        "402,0 / 409,0",
        "chỉ tiêu None",
        "tỷ lệ on_time_rate",
        "kỳ 2026-M9 và 2026-Q3",
        "Value : (trống) → Có",
    ]
    for text in bad:
        assert _findings("/", text, set()), text
    good = (
        "Tháng 9/2026 · Quý III/2026 · 6 tháng đầu năm 2026 · 07/12/2026 14:03 · 402 / 409 · 98,5 % · "
        "Nguyễn Thị Minh Thư (snv.quantri) · tệp ho-so-mau.csv · Giá trị · Sở Tư pháp · Phường Nha Trang"
    )
    assert _findings("/", good, {"snv.quantri"}) == []
