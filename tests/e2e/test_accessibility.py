"""Every module's main page can be used with a screen reader, a keyboard and a phone.

axe-core checks each page as the browser drew it; a violation it rates serious or critical (a field
without a label, text too pale to read, a button with no name) fails the test. At 390 px, the width
of a common phone, no page may scroll sideways: a wide table scrolls inside its own
`.table-responsive` box. Browsers also ask for `/favicon.ico` on their own; it must lead to our icon.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from django.urls import reverse

from tests.e2e.conftest import sign_in
from tests.e2e.test_markup_injection import province_data
from tests.e2e.test_onestop import justice_dossiers  # noqa: F401 (fixture)
from tests.e2e.test_surveys_public import feedback_deadlines  # noqa: F401 (fixture)
from tests.parindex.test_result_pages import two_years  # noqa: F401 (fixture)
from tests.surveys.conftest import sipas_campaign  # noqa: F401 (fixture)
from tests.surveys.test_sipas_pages import answered  # noqa: F401 (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390
SEVERE = {"serious", "critical"}


def staff_pages(made):
    """The main page of every module, with an object of the province where the page needs one."""
    return {
        "home": reverse("web:dashboard"),
        "plans": reverse("plans:plan-list"),
        "plan": reverse("plans:plan", args=[made["plan"].pk]),
        "plan dashboard": reverse("plans:plan-dashboard", args=[made["plan"].pk]),
        "task": reverse("plans:task", args=[made["task"].pk]),
        "reports": reverse("plans:report-rounds", args=[made["plan"].pk]),
        "one-stop dashboard": reverse("onestop:dashboard"),
        "dossiers": reverse("onestop:dossiers"),
        "QĐ 766": reverse("onestop:index"),
        "PAR Index campaign": reverse("parindex:campaign", args=[made["parindex"].pk]),
        "PAR Index ranking": reverse("parindex:ranking", args=[made["published"].pk]),
        "SIPAS campaigns": reverse("surveys:campaigns"),
        "SIPAS campaign": reverse("surveys:campaign", args=[made["sipas"].pk]),
        "feedback": reverse("surveys:feedback-list"),
        "units": reverse("units:tree"),
        "audit log": reverse("core:audit"),
    }


def public_pages(made):
    return {
        "sign-in": reverse("login"),
        "citizens' feedback": reverse("public:feedback"),
        "citizens' survey": reverse("public:survey", args=[made["quota"].link_token]),
    }


# What a page's axe run found, one line per rule and element, so a failure says where to look.
def severe_violations(page):
    results = Axe().run(page).response
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']} — {' '.join(map(str, node['target']))}"
        + "".join(f" ({check['message']})" for check in node["any"][:1])
        for rule in results["violations"]
        if rule["impact"] in SEVERE
        for node in rule["nodes"][:5]
    ]


def sideways(page):
    """How far the page is wider than the screen, and the widest elements that stick out."""
    return page.evaluate(
        """(width) => {
          const over = document.documentElement.scrollWidth - width;
          if (over <= 0) return null;
          const culprits = [...document.querySelectorAll("body *")]
            .filter((element) => element.getBoundingClientRect().right > width + 1)
            .filter((element) => !element.closest(".table-responsive"))
            .slice(-5)
            .map((element) => `${element.tagName.toLowerCase()}.${element.className}`);
          return `${over} px too wide: ${culprits.join(", ")}`;
        }""",
        PHONE_WIDTH,
    )


def check(pages, desk, phone, base):
    problems = []
    for name, url in pages.items():
        desk.goto(base + url, wait_until="load")
        assert "/login/" not in desk.url or name == "sign-in", f"{name}: sent to the sign-in page"
        problems += [f"{name} {url}: {line}" for line in severe_violations(desk)]
        phone.goto(base + url, wait_until="load")
        too_wide = sideways(phone)
        if too_wide:
            problems.append(f"{name} {url} at {PHONE_WIDTH} px: {too_wide}")
    return problems


@pytest.fixture
def made(
    cast,
    justice_dossiers,  # noqa: F811
    two_years,  # noqa: F811
    answered,  # noqa: F811
    feedback_deadlines,  # noqa: F811
):
    made = province_data(cast, answered)
    made["published"] = two_years
    return made


def test_every_module_main_page_is_accessible_and_fits_a_phone(page, phone, browser, live_server, made):
    sign_in(page, live_server, "snv.admin")
    sign_in(phone, live_server, "snv.admin")
    problems = check(staff_pages(made), page, phone, live_server.url)

    visitor = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 800}).new_page()
    small = browser.new_context(
        locale="vi-VN", viewport={"width": PHONE_WIDTH, "height": 844}, is_mobile=True, has_touch=True
    ).new_page()
    problems += check(public_pages(made), visitor, small, live_server.url)
    assert problems == [], "\n".join(problems)


def test_the_favicon_is_linked_and_answers_at_its_usual_address(page, live_server, cast):
    sign_in(page, live_server, "snv.admin")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert icon.endswith(".svg")
    drawn = page.request.get(live_server.url + icon)
    assert drawn.status == 200
    assert drawn.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in drawn.text()
    # The browser's own request, without any page: it ends at the same drawing.
    answer = Client().get("/favicon.ico")
    assert (answer.status_code, answer["Location"]) == (301, icon)
    public = Client().get(reverse("public:feedback")).content.decode()
    assert f'rel="icon" href="{icon}"' in public
