"""Each role walks the site from the home page by its links alone: no link it is shown may answer
403, 404 or 500, and every named page of the staff site is reached by some role's walk.

Links (`<a href>`, htmx `hx-get`) are followed with GET, redirects too. Forms are never sent: their
addresses only count as reached. Whether a role may use each form it is shown is checked by
test_forms_by_role, which sends them.
"""

from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import parse_qs, urldefrag, urlencode, urlsplit

import pytest
from django.urls import Resolver404, resolve

from cchc.accounts import services as account_services
from cchc.accounts.models import Role
from cchc.plans.services import tasks as task_services
from tests import test_permission_walk as walk
from tests.url_catalogue import named_urls

pytestmark = pytest.mark.django_db

PAGE_LIMIT = 400
# A page's filters and drill-downs (?unit=…&period=…) lead to the same view with the same links: a few
# of them per page are walked, not every combination.
VARIANTS_PER_PAGE = 3

# Links followed nowhere: they sign out, change the language or leave the staff site.
NOT_FOLLOWED = ("/logout/", "/i18n/", "/admin/", "/static/", "/media/")

# Named pages of the staff site that no link or form of the walk's pages names, each for a reason:
REACHED_OTHERWISE = {
    # the second step of signing in, which the sign-in page redirects to
    "accounts:two-factor-code",
    # the review of an uploaded plan document: the upload form on plans:plan-import redirects there
    "plans:plan-import-review",
    # shown in a state the walk's data is not in: a job that waits or runs (cancel, and the status
    # fragment the job page polls), a PAR Index campaign past self-assessment, feedback answered or
    # waiting for information
    "onestop:import-cancel",
    "onestop:import-job-status",
    "parindex:assessment-accept",
    "parindex:item-appraise",
    "parindex:item-explain",
    "parindex:item-second",
    "surveys:feedback-close",
    "surveys:feedback-info-received",
    "surveys:feedback-publish",
    # shown only beside notifications, which the walk's data has none of (tests/notifications walks them)
    "notifications:read",
    "notifications:read-all",
    # shown only once a brief was asked for or a schedule kept, which the walk's data has none of
    # (tests/web/test_brief.py and test_brief_schedule.py open them)
    "web:brief-detail",
    "web:brief-download",
    "web:brief-schedule",
    "web:brief-schedule-delete",
    # the sidebar fetches its badges from here only when a page did not have them cached: the walk
    # opens the home page first, which counts them (tests/web/test_my_work.py fetches it)
    "web:navigation",
}


class _Links(HTMLParser):
    """The GET links of a page (`<a href>` and htmx `hx-get`), and the addresses its forms and htmx
    buttons send to (recorded as reached, never sent)."""

    def __init__(self):
        super().__init__()
        self.links = []
        self.actions = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if attrs.get("hx-get"):
            self.links.append(attrs["hx-get"])
        if attrs.get("hx-post"):
            self.actions.append(attrs["hx-post"])
        if tag == "form" and attrs.get("action"):
            self.actions.append(attrs["action"])


def _links_of(body: str) -> tuple[list[str], list[str]]:
    parser = _Links()
    parser.feed(body)
    return parser.links, parser.actions


def _name_of(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


def _normalised(href: str, page: str) -> str | None:
    """The same-origin path (with its query) a link leads to, or None for links not followed."""
    href, _fragment = urldefrag(href)
    if not href or href.startswith(("mailto:", "tel:", "javascript:")):
        return None
    parts = urlsplit(href)
    if parts.netloc not in ("testserver", ""):
        return None
    path = parts.path or urlsplit(page).path
    if not path.startswith("/"):
        base = urlsplit(page).path.rsplit("/", 1)[0]
        path = f"{base}/{path}"
    if path.startswith(NOT_FOLLOWED) or path.startswith("/api/"):
        return None
    query = parse_qs(parts.query)
    if any(int(value) > 2 for value in query.get("page", []) if value.isdigit()):
        return None
    return f"{path}?{urlencode(query, doseq=True)}" if query else path


def _is_download(response) -> bool:
    kind = response.get("Content-Type", "")
    return "text/html" not in kind or response.has_header("Content-Disposition")


def crawl(client):
    """{url: (status, the page that links to it)} of every page reachable by links from the home page,
    and the names of the pages reached by a link or named by a form on a reached page."""
    seen, statuses, names, variants = {"/"}, {}, set(), Counter()
    queue = deque([("/", "(home)")])
    while queue and len(statuses) < PAGE_LIMIT:
        url, source = queue.popleft()
        response = client.get(url)
        statuses[url] = (response.status_code, source)
        names.add(_name_of(url))
        if response.status_code == 302:
            target = _normalised(response["Location"], url)
            if target and target not in seen:
                seen.add(target)
                queue.append((target, url))
            continue
        if response.status_code != 200 or _is_download(response):
            continue
        links, actions = _links_of(response.content.decode())
        names.update(_name_of(_normalised(action, url) or url) for action in actions)
        for href in links:
            target = _normalised(href, url)
            if not target or target in seen:
                continue
            if "?" in target:
                path = target.split("?", 1)[0]
                if variants[path] >= VARIANTS_PER_PAGE:
                    continue
                variants[path] += 1
            seen.add(target)
            queue.append((target, url))
    return statuses, names


@pytest.fixture
def rich_cast(cast):
    """The cast with a plan, reports, an inspection, one-stop data, PAR Index, SIPAS and feedback
    belonging to Sở Tư pháp, plus Sở Tư pháp's leader and an appraiser of the province."""
    plan = walk.justice_plan(cast)["plan"]
    # a second task with nothing pending, so that its page offers the progress and deadline forms
    task_services.add_task(
        actor=None, plan=plan, text="Nhiệm vụ thứ hai", lead_unit=cast["justice"], deadline_kind="recurring"
    )
    walk.justice_reports(cast)
    walk.justice_finding(cast)
    walk.justice_onestop(cast)
    walk.justice_scorecard(cast)
    walk.justice_results(cast)
    walk.justice_feedback(cast)
    walk.justice_sipas(cast)
    walk.justice_webhook(cast)
    walk.justice_api_token(cast)  # an API key of Sở Tư pháp's focal point, which its owner may revoke
    walk.feed_run(cast)  # a live feed source with a run (onestop/feed), for the administrators
    cast["justice_leader"] = _person("stp.lanhdao", (cast["justice"], Role.LEADER))
    cast["appraiser"] = _person("tham.dinh", (cast["province"], Role.APPRAISER))
    return cast


def _person(username, *roles):
    user = account_services.create_user(
        actor=None, username=username, password="mat-khau-thu-1", full_name=username
    )
    for unit, role in roles:
        account_services.grant_role(actor=None, user=user, unit=unit, role=role)
    return user


ROLES = ["reform_admin", "justice_focal", "commune_officer", "leader", "justice_leader", "appraiser"]


@pytest.mark.parametrize("role", ROLES)
def test_no_link_a_role_is_shown_is_refused(client, rich_cast, role, settings):
    settings.CCHC_NATIONAL = True  # the national instance's pages too (exchange packages)
    client.force_login(rich_cast[role])
    statuses, _names = crawl(client)
    broken = {url: found for url, found in statuses.items() if found[0] not in (200, 302)}
    assert broken == {}, f"{role} is shown links that fail: {broken}"


def test_every_page_is_reached_from_the_home_page(client, rich_cast, settings):
    """The union of every role's walk: a page meant for a focal point (reporting progress on a task)
    is reached by the focal point's links, an administrator's page by the administrator's."""
    settings.CCHC_NATIONAL = True  # the national instance's pages too (exchange packages)
    reached = set()
    for role in ROLES:
        client.force_login(rich_cast[role])
        statuses, names = crawl(client)
        assert len(statuses) < PAGE_LIMIT, f"{role}'s walk stopped at its bound: raise PAGE_LIMIT"
        reached |= names
    # The staff site's pages; the REST API (names without a namespace) and the citizens' pages are
    # not linked from the staff site.
    wanted = {name for name, _pattern in named_urls() if ":" in name and not name.startswith("public:")}
    missing = sorted(wanted - reached - REACHED_OTHERWISE)
    assert missing == [], f"no link leads to {missing}"
    assert REACHED_OTHERWISE & reached == set(), "pages listed as reached otherwise have a link now"
