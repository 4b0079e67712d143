"""Number and date formatting the Vietnamese way: `98,5 %`, dd/mm/yyyy, and a dash for no data."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

from cchc.core import metrics, periods

register = template.Library()

NO_DATA = "—"


@register.filter
def percent(value, decimals: int = 1):
    """98.5 -> '98,5 %' (in Vietnamese); None -> a dash, because no data is not zero."""
    if value is None or value == "":
        return NO_DATA
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return NO_DATA
    # Round half up first: number_format alone truncates (99.96 would print as 99,9).
    rounded = number.quantize(Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_UP)
    return f"{number_format(rounded, decimal_pos=int(decimals), use_l10n=True)}\u00a0%"


@register.filter
def number(value, decimals: int = 0):
    """1234.5 -> '1.234,5' with grouping; None -> a dash."""
    if value is None or value == "":
        return NO_DATA
    try:
        figure = Decimal(str(value))
    except InvalidOperation:
        return NO_DATA
    rounded = figure.quantize(Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=int(decimals), use_l10n=True, force_grouping=True)


@register.filter
def percent_of_one(value, decimals: int = 1):
    """A share stored as 0..1 shown as a percentage: 0.25 -> '25,0 %'."""
    if value is None or value == "":
        return NO_DATA
    return percent(Decimal(str(value)) * 100, decimals)


@register.filter
def period_label(value) -> str:
    """A period key as people write it: '2026-Q3' -> 'Quý III/2026'; other text is left as it is."""
    return periods.period_label(getattr(value, "key", value))


@register.filter
def metric_label(key) -> str:
    """A published metric's label in place of its key ('onestop.on_time_rate'); an unknown key stays."""
    metric = metrics.find(str(key))
    return str(metric.label) if metric is not None else str(key)


@register.filter
def figure(value, decimals: int = 2):
    """A count or amount with only the decimals it has: 402.0 -> '402', 2.50 -> '2,5'; None -> a dash."""
    if value is None or value == "":
        return NO_DATA
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return NO_DATA
    rounded = amount.quantize(Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_UP).normalize()
    places = max(-rounded.as_tuple().exponent, 0)
    return number_format(rounded, decimal_pos=places, use_l10n=True, force_grouping=True)
