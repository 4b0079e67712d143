"""The kit's readers of typed values: one vocabulary and one number and date syntax for every app."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from cchc.kit.parsers import NO_WORDS, YES_WORDS, parse_date, parse_number, parse_yes_no


@pytest.mark.parametrize("word", ["có", "Có", " x ", "yes", "1", "đạt", "dat", "TRUE", "đúng"])
def test_yes_words_read_as_yes(word):
    assert parse_yes_no(word) is True


@pytest.mark.parametrize("word", ["không", "KHONG", "0", "no", "sai", "không đạt", "false"])
def test_no_words_read_as_no(word):
    assert parse_yes_no(word) is False


@pytest.mark.parametrize("word", ["", None, "có lẽ", "2", "maybe"])
def test_empty_or_unknown_is_neither(word):
    assert parse_yes_no(word) is None


def test_the_two_vocabularies_do_not_overlap():
    assert not YES_WORDS & NO_WORDS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("98,5", Decimal("98.5")),
        ("98.5", Decimal("98.5")),
        ("1.234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        (" 12 500 ", Decimal("12500")),
        ("1.234.567", Decimal("1234567")),
        ("1.234.567,5", Decimal("1234567.5")),
        ("0.500", Decimal("0.5")),  # no group of thousands starts with 0
        ("12.5", Decimal("12.5")),
        ("12.5000", Decimal("12.5")),
        ("-3", Decimal("-3")),
        (7, Decimal("7")),
        (0.5, Decimal("0.5")),
    ],
)
def test_numbers_in_vietnamese_or_english_writing(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "NaN", "inf", "1e99999"])
def test_what_is_no_number_is_refused_with_the_field_named(text):
    with pytest.raises(ValidationError) as refused:
        parse_number(text, field="value")
    assert "value" in refused.value.message_dict


@pytest.mark.parametrize(
    ("text", "thousands", "decimal"), [("12.500", "12500", "12,500"), ("-1.250", "-1250", "-1,250")]
)
def test_a_dot_before_three_digits_is_asked_about_not_guessed(text, thousands, decimal):
    """A Vietnamese reader takes 12.500 for twelve thousand five hundred, an English spreadsheet for
    twelve and a half: either guess is wrong by a factor of a thousand for someone."""
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        parse_number(text, field="value")
    message = refused.value.message_dict["value"][0]
    assert f"“{text}” có thể là {thousands} hoặc {decimal}" in message


def test_a_number_too_large_for_its_column_is_refused():
    assert parse_number("99999", whole_digits=5) == Decimal(99999)
    with pytest.raises(ValidationError):
        parse_number("100000", whole_digits=5)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**9), max_value=10**9))
def test_a_number_written_with_a_decimal_comma_reads_back(value):
    written = f"{value:f}".replace(".", ",")
    assert parse_number(written) == value


def test_dates_in_both_writings_and_empty():
    assert parse_date("05/09/2026") == datetime.date(2026, 9, 5)
    assert parse_date("2026-09-05") == datetime.date(2026, 9, 5)
    assert parse_date(datetime.datetime(2026, 9, 5, 8, 30)) == datetime.date(2026, 9, 5)
    assert parse_date("  ") is None


@pytest.mark.parametrize("text", ["31/02/2026", "2026-13-01", "hôm qua", "05.09.2026"])
def test_a_wrong_date_is_refused_in_words(text, english):
    with pytest.raises(ValidationError) as refused:
        parse_date(text, field="due")
    assert "is not a date" in refused.value.message_dict["due"][0]
