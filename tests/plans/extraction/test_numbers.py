"""Vietnamese number notation: decimal comma, dot between thousands."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.plans.extraction.numbers import NUMBER_RE, json_number, parse_number


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("98,5", Decimal("98.5")),
        ("12.500", Decimal("12500")),
        ("1.234.567,25", Decimal("1234567.25")),
        ("05", Decimal("5")),
        ("0,75", Decimal("0.75")),
        # A dot not followed by exactly three digits can only be a decimal point.
        ("98.5", Decimal("98.5")),
        ("4.0", Decimal("4.0")),
    ],
)
def test_parse_number_reads_the_vietnamese_notation(token, value):
    assert parse_number(token) == value


@pytest.mark.parametrize("token", ["", "12,", "abc", "1..2", "3/4"])
def test_parse_number_refuses_what_is_not_a_number(token):
    with pytest.raises(ValueError, match="not a number"):
        parse_number(token)


def test_number_tokens_are_not_cut_out_of_codes_and_words():
    text = "đạt 98,5% và 12.500 tỷ; chuẩn 9001:2015; mạng 5G; mã x12"
    assert [match.group(0) for match in NUMBER_RE.finditer(text)] == ["98,5", "12.500", "9001", "2015"]


def test_json_number_writes_whole_values_as_integers():
    assert json_number(Decimal("100.0")) == 100
    assert isinstance(json_number(Decimal("100.0")), int)
    assert json_number(Decimal("98.5")) == 98.5


def vietnamese(value: Decimal, grouped: bool) -> str:
    """The way a Vietnamese document writes `value`: 1.234.567,89 (or 1234567,89 without grouping)."""
    whole, _, fraction = f"{value:f}".partition(".")
    if grouped:
        whole = f"{int(whole):,}".replace(",", ".")
    return whole + ("," + fraction if fraction else "")


@given(
    value=st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False, allow_infinity=False),
    grouped=st.booleans(),
)
def test_vietnamese_notation_parses_back_to_the_same_value(value, grouped):
    written = vietnamese(value, grouped)
    assert parse_number(written) == value
    # And the token is found whole inside a sentence.
    found = [match.group(0) for match in NUMBER_RE.finditer(f"chỉ tiêu đạt {written}% trong năm")]
    assert found == [written]
