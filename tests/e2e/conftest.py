"""Browser tests: Debian's Chromium driven by Playwright against Django's live server."""

import contextlib
import os
import shutil

import pytest

# Playwright's synchronous API runs an event loop in the test thread; the ORM calls the tests
# make there (fixtures) are ordinary blocking calls, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Every page must run under the Content-Security-Policy without one refusal: an inline script, an
# onchange= or a style attribute that slips into a template fails the test that shows the page, at its
# teardown. Chromium reports each refusal twice, as a console error and as a securitypolicyviolation
# event; both are collected, so the check survives a change in either.
CSP_EVENT_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile || event.documentURI}:${event.lineNumber}`;
  const sample = event.sample ? ` (${event.sample})` : "";
  const what = event.blockedURI || "inline";
  window.__cchcCspViolation(`${event.effectiveDirective} refused ${what} at ${where}${sample}`);
}, true);
"""


class CspWatch:
    """The policy's refusals in every browser context opened during one test."""

    def __init__(self):
        self.violations: list[str] = []
        self.contexts = []

    def attach(self, context):
        context.expose_binding(
            "__cchcCspViolation", lambda source, text: self.violations.append(f"event: {text}")
        )
        context.add_init_script(CSP_EVENT_LISTENER)
        context.on("console", self._console)
        self.contexts.append(context)

    def _console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.violations.append(f"console: {message.text}")

    def close(self):
        # Closing goes through the browser, so the reports still on their way arrive before it returns.
        for context in self.contexts:
            # Already closed with its test's page, or the browser is gone: nothing more will come.
            with contextlib.suppress(Exception):
                context.close()


class WatchedBrowser:
    """The browser, whose new contexts (the fixtures' and those a test opens itself) report their refusals
    to the running test's watch."""

    current: CspWatch | None = None

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        if WatchedBrowser.current is not None:
            WatchedBrowser.current.attach(context)
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(
            "Chromium is missing: `make test` installs it (Debian packages chromium, chromium-driver)."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield WatchedBrowser(browser)
        browser.close()


@pytest.fixture(autouse=True)
def csp_violations():
    """The refusals seen so far in this test; any left at its end fail it."""
    watch = WatchedBrowser.current = CspWatch()
    yield watch.violations
    watch.close()
    WatchedBrowser.current = None
    if watch.violations:
        pytest.fail(
            "The Content-Security-Policy refused something on a page:\n"
            + "\n".join(dict.fromkeys(watch.violations)),
            pytrace=False,
        )


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="vi-VN",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in(page, live_server, username, password="mat-khau-thu-1"):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
