"""The kit's view helpers: one rule for a service's refusal, the period picker, pagination, fields."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from cchc.core.periods import Period
from cchc.kit.periods import HALVES_AND_QUARTERS, QUARTERS, chosen_period, period_choices
from cchc.kit.views import paginate, run_service, submit_form


def request_for(path="/", **query):
    request = RequestFactory().get(path, query)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


class NameForm(forms.Form):
    name = forms.CharField(label="Tên", max_length=5)


def test_a_service_that_succeeds_returns_its_result_and_says_so():
    request = request_for()
    assert run_service(request, lambda: 42, success="Đã lưu.") == (True, 42)
    assert [str(message) for message in get_messages(request)] == ["Đã lưu."]


def test_a_refusal_becomes_messages():
    request = request_for()

    def refuse():
        raise ValidationError(["Thiếu hạn.", "Thiếu người."])

    assert run_service(request, refuse, success="Đã lưu.") == (False, None)
    assert [str(message) for message in get_messages(request)] == ["Thiếu hạn.", "Thiếu người."]


def test_a_refusal_naming_a_field_lands_beside_it_on_the_form():
    form = NameForm({"name": "Lan"})
    assert form.is_valid()

    def refuse():
        raise ValidationError({"name": "Tên đã có.", "other": "Lỗi chung."})

    assert run_service(request_for(), refuse, form=form) == (False, None)
    assert form.errors["name"] == ["Tên đã có."]
    assert form.non_field_errors() == ["Lỗi chung."]


def test_a_permission_refusal_is_not_turned_into_a_message():
    def forbidden():
        raise PermissionDenied("Không được phép.")

    with pytest.raises(PermissionDenied):
        run_service(request_for(), forbidden)


def test_an_invalid_small_form_says_which_field_and_runs_nothing():
    request = request_for()
    calls = []
    done, _ = submit_form(request, NameForm({"name": "quá dài"}), calls.append)
    assert not done and calls == []
    assert next(str(message) for message in get_messages(request)).startswith("Tên: ")


def test_the_period_asked_for_or_the_default_with_a_reason():
    default = Period.parse("2026")
    assert chosen_period(request_for(period="2026-Q3"), default) == (Period.parse("2026-Q3"), "")
    assert chosen_period(request_for(), default) == (default, "")
    period, error = chosen_period(request_for(period="quý ba"), default)
    assert period == default and "quý ba" in error


def test_the_picker_offers_the_years_parts_and_what_is_shown():
    keys = period_choices([2026], Period.parse("2025-Q1"))
    assert keys == ["2026", "2026-H1", "2026-M9", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2025-Q1"]
    assert "2026-07" in period_choices([2026], months=True)


def test_the_picker_can_detail_one_year_only():
    keys = period_choices([2024, 2025, 2026], parts=HALVES_AND_QUARTERS, months=True, detail_year=2025)
    assert keys[:4] == ["2024", "2025", "2026", "2025-H1"]
    assert "2025-H2" in keys and "2025-12" in keys
    assert not any(key.startswith(("2024-", "2026-")) for key in keys)
    assert len(keys) == 3 + 7 + 12
    assert period_choices([2026], parts=QUARTERS, months=True)[:5] == [
        "2026",
        *(f"2026-Q{q}" for q in range(1, 5)),
    ]


def test_pagination_keeps_the_filters_and_drops_the_page():
    page, query = paginate(request_for(page="2", status="late"), list(range(120)), per_page=50)
    assert list(page.object_list) == list(range(50, 100))
    assert query == "status=late"
    last, _ = paginate(request_for(page="99"), list(range(120)), per_page=50)
    assert last.number == 3


def test_every_field_is_drawn_by_the_one_template():
    form = NameForm({"name": "quá dài"})
    html = form["name"].as_field_group()
    assert 'class="form-label small mb-1"' in html
    assert 'data-testid="error-name"' in html
