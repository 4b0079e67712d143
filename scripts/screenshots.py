"""Takes screenshots of a running demo (make demo) for the README and for review.

Usage: python scripts/screenshots.py [BASE_URL] [OUT_DIR]
"""

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "var/screenshots")
PAGES = [
    ("overview", "/"),
    ("units", "/units/"),
    ("units-2024", "/units/?on=01/01/2024"),
    ("workdays", "/workdays/?year=2026"),
    ("audit", "/audit/"),
    ("people", "/accounts/users/"),
    ("import", "/units/import/"),
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for label, viewport in (
            ("desktop", {"width": 1366, "height": 900}),
            ("phone", {"width": 390, "height": 844}),
        ):
            context = browser.new_context(viewport=viewport, locale="vi-VN")
            page = context.new_page()
            page.goto(f"{BASE}/login/")
            page.fill("#id_username", "snv.quantri")
            page.fill("#id_password", "cchc-demo-2026")
            page.click("button[type=submit]")
            page.wait_for_url(f"{BASE}/")
            for name, path in PAGES:
                page.goto(f"{BASE}{path}")
                page.wait_for_timeout(400)
                page.screenshot(path=str(OUT / f"{label}-{name}.png"), full_page=False)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
