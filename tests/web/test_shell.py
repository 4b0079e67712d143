"""The shell without a browser: language choice, error pages, formats."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_vietnamese_even_when_the_browser_asks_for_english(client, cast):
    client.force_login(cast["leader"])
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Việc của tôi" in page


def test_english_when_chosen(client, cast):
    client.force_login(cast["leader"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "My work" in client.get("/").content.decode()
    client.cookies["django_language"] = "xx"  # a forged cookie falls back to Vietnamese
    assert "Việc của tôi" in client.get("/").content.decode()


def test_not_found_page_is_in_vietnamese(client, cast):
    client.force_login(cast["leader"])
    response = client.get("/units/999999/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


def render(source, **context):
    return Template("{% load cchc_format %}" + source).render(Context(context))


def test_percentages_dates_and_numbers_the_vietnamese_way():
    with translation.override("vi"):
        assert render("{{ v|percent }}", v=Decimal("98.5")) == "98,5\u00a0%"
        assert render("{{ v|percent:2 }}", v=91) == "91,00\u00a0%"
        assert render("{{ v|percent }}", v=None) == "—"
        assert render("{{ v|percent }}", v=Decimal("99.96")) == "100,0\u00a0%"
        assert render("{{ v|percent }}", v=Decimal("94.2857")) == "94,3\u00a0%"
        assert render("{{ v|number }}", v=1234567) == "1.234.567"
        assert render("{{ v|percent_of_one }}", v=Decimal("0.25")) == "25,0\u00a0%"
        assert Template("{{ d|date:'SHORT_DATE_FORMAT' }}").render(
            Context({"d": datetime.date(2026, 2, 27)})
        ) == ("27/02/2026")
