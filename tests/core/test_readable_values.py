"""Periods, metrics and counts as people read them: "Quý III/2026", a metric's label, "402 / 409"."""

from decimal import Decimal

import pytest
from django.utils import translation

from cchc.core.periods import Period, period_label
from cchc.core.templatetags.cchc_format import figure, metric_label


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("2026", "Năm 2026"),
        ("2026-09", "Tháng 9/2026"),
        ("2026-Q3", "Quý III/2026"),
        ("2026-Q1", "Quý I/2026"),
        ("2026-H1", "6 tháng đầu năm 2026"),
        ("2026-H2", "6 tháng cuối năm 2026"),
        ("2026-M9", "9 tháng đầu năm 2026"),
    ],
)
def test_periods_read_in_vietnamese(key, words):
    with translation.override("vi"):
        assert period_label(key) == words
        assert Period.parse(key).label == words


def test_text_that_is_no_period_is_left_alone():
    assert period_label("khác") == "khác"


def test_counts_have_no_decimals_and_amounts_keep_theirs():
    with translation.override("vi"):
        assert f"{figure(Decimal('402.0'))} / {figure(Decimal('409.0'))}" == "402 / 409"
        assert figure(Decimal("1234.50")) == "1.234,5"
        assert figure(Decimal("400")) == "400"
        assert figure(None) == "—"


def test_a_metric_reads_as_its_label():
    with translation.override("vi"):
        label = metric_label("onestop.on_time_rate")
    assert label != "onestop.on_time_rate" and "_" not in label
    assert metric_label("no.such_metric") == "no.such_metric"
