"""Vectorised readers for the values of an import file: dates and times, yes/no, codes.

Each function takes a polars expression over a text column and gives an expression of the typed
value, null where the text is empty *or* unreadable; callers tell the two apart by checking
which non-empty texts came out null, so every bad cell becomes a row error rather than a crash.
"""

import polars as pl

from cchc.kit.parsers import NO_WORDS, YES_WORDS

LOCAL_OFFSET_MINUTES = 7 * 60  # Asia/Ho_Chi_Minh has no daylight saving time

_ISO = (
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_VIETNAMESE = r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$"

# The product's one yes/no vocabulary, as lists for polars; an empty cell is no here (it is a flag
# the source system leaves out when it is not set).
TRUE_WORDS = sorted(YES_WORDS)
FALSE_WORDS = [*sorted(NO_WORDS), ""]
YES_OR_NO = {word: True for word in TRUE_WORDS} | {word: False for word in FALSE_WORDS}


def text(column: str) -> pl.Expr:
    """The column's text without surrounding spaces; empty text becomes null."""
    stripped = pl.col(column).cast(pl.String).str.strip_chars()
    return pl.when(stripped == "").then(None).otherwise(stripped)


def _offset_minutes(zone: pl.Expr) -> pl.Expr:
    digits = zone.str.replace(":", "")
    sign = pl.when(digits.str.slice(0, 1) == "-").then(-1).otherwise(1)
    hours = digits.str.slice(1, 2).cast(pl.Int32, strict=False)
    minutes = digits.str.slice(3, 2).cast(pl.Int32, strict=False)
    return (
        pl.when(zone.is_null())
        .then(LOCAL_OFFSET_MINUTES)
        .when(zone == "Z")
        .then(0)
        .otherwise(sign * (hours * 60 + minutes))
    )


def _pad(expr: pl.Expr, width: int, default: str) -> pl.Expr:
    return expr.fill_null(default).str.zfill(width)


def datetime_utc(column: str, *, date_only_end_of_day: bool = False) -> pl.Expr:
    """Read ISO 8601 or dd/mm/yyyy [HH:MM[:SS]] as an instant in UTC.

    Without an offset the time is Vietnamese local time. A date without a time means the start of
    that day, or its last second with `date_only_end_of_day` (used for due dates: "due on the 15th"
    means the citizen may still come on the 15th).
    """
    default_time = "23:59:59" if date_only_end_of_day else "00:00:00"
    return text(column).map_batches(
        lambda value: _instants(value, default_time), return_dtype=UTC_INSTANT, is_elementwise=True
    )


UTC_INSTANT = pl.Datetime("us", "UTC")


def _instants(value: pl.Series, default_time: str) -> pl.Series:
    """The instants of a column of stripped texts, computed on materialised columns.

    Texts already in the canonical shape ("YYYY-MM-DD HH:MM:SS", what most systems export) are parsed
    as they are; only the others are first turned into that shape, by slicing for the other common
    shapes and by the general patterns (regex captures) for the rest. Each step runs once per column:
    written as one nested expression, polars would recompute the shared parts for every use.
    """
    # No cache: nearly every instant is distinct, and caching them cost as much as parsing them.
    naive_of = pl.col("value").str.strptime(pl.Datetime("us"), CANONICAL_FORMAT, strict=False, cache=False)
    frame = (
        pl.DataFrame({"value": value})
        .with_row_index("i")
        .with_columns(
            # The shape first: the format alone also reads texts the patterns refuse ("2026-01-05
            # 08: 30:0", a sign before the year, a tab for the space).
            naive=pl.when(pl.col("value").str.contains(_CANONICAL)).then(naive_of),
            zone=pl.lit(None, dtype=pl.String),
        )
    )
    rest = frame.filter(pl.col("naive").is_null() & pl.col("value").is_not_null())
    if rest.height:
        parsed = _other_shapes(rest.select("i", "value"), default_time)
        frame = frame.with_columns(
            naive=frame["naive"].scatter(parsed["i"], parsed["naive"]),
            zone=frame["zone"].scatter(parsed["i"], parsed["zone"]),
        )
    offset = (
        pl.lit(LOCAL_OFFSET_MINUTES)
        if frame["zone"].null_count() == frame.height
        else _offset_minutes(pl.col("zone"))
    )
    utc = pl.col("naive") - pl.duration(minutes=offset)
    return frame.select(utc.dt.replace_time_zone("UTC")).to_series().alias(value.name)


def _other_shapes(rest: pl.DataFrame, default_time: str) -> pl.DataFrame:
    """i, naive, zone of texts not in the canonical shape: the common shapes by slicing, the others by
    the general patterns (naive null when neither reads them)."""
    shaped = rest.with_columns(
        canonical=_fast_canonical(pl.col("value"), default_time), zone=pl.lit(None, dtype=pl.String)
    )
    odd = shaped.select(pl.col("canonical").is_null().arg_true()).to_series()
    if odd.len():
        general = shaped[odd].select(parts=_general_canonical(pl.col("value"), default_time)).unnest("parts")
        shaped = shaped.with_columns(
            canonical=shaped["canonical"].scatter(odd, general["canonical"]),
            zone=shaped["zone"].scatter(odd, general["zone"]),
        )
    naive = pl.col("canonical").str.strptime(pl.Datetime("us"), CANONICAL_FORMAT, strict=False, cache=False)
    return shaped.select("i", "zone", naive=naive)


CANONICAL_FORMAT = "%Y-%m-%d %H:%M:%S"
_CANONICAL = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"


# Shapes whose canonical text ("YYYY-MM-DD HH:MM:SS") is a fixed rearrangement of their characters;
# each is a special case of _ISO or _VIETNAMESE without an offset, so the result is the same.
_ISO_SECONDS = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}$"
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
_VIETNAMESE_MINUTES = r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$"


def _fast_canonical(value: pl.Expr, default_time: str) -> pl.Expr:
    return (
        pl.when(value.str.contains(_ISO_SECONDS))
        .then(pl.concat_str([value.str.slice(0, 10), pl.lit(" "), value.str.slice(11, 8)]))
        .when(value.str.contains(_ISO_DATE))
        .then(pl.concat_str([value, pl.lit(" " + default_time)]))
        .when(value.str.contains(_VIETNAMESE_MINUTES))
        .then(
            pl.concat_str(
                [
                    *(value.str.slice(6, 4), pl.lit("-"), value.str.slice(3, 2), pl.lit("-")),
                    *(value.str.slice(0, 2), pl.lit(" "), value.str.slice(11, 5), pl.lit(":00")),
                ]
            )
        )
    )


def _general_canonical(value: pl.Expr, default_time: str) -> pl.Expr:
    """{canonical, zone} of any text the two patterns accept (canonical null when neither does)."""
    iso = value.str.extract_groups(_ISO)
    vietnamese = value.str.extract_groups(_VIETNAMESE)
    is_iso = iso.struct.field("1").is_not_null()
    year = pl.when(is_iso).then(iso.struct.field("1")).otherwise(vietnamese.struct.field("3"))
    month = pl.when(is_iso).then(iso.struct.field("2")).otherwise(vietnamese.struct.field("2"))
    day = pl.when(is_iso).then(iso.struct.field("3")).otherwise(vietnamese.struct.field("1"))
    hour = pl.when(is_iso).then(iso.struct.field("4")).otherwise(vietnamese.struct.field("4"))
    minute = pl.when(is_iso).then(iso.struct.field("5")).otherwise(vietnamese.struct.field("5"))
    second = pl.when(is_iso).then(iso.struct.field("6")).otherwise(vietnamese.struct.field("6"))
    zone = pl.when(is_iso).then(iso.struct.field("7")).otherwise(None)
    has_time = hour.is_not_null()
    time_text = (
        pl.when(has_time)
        .then(
            pl.concat_str(
                [_pad(hour, 2, "00"), pl.lit(":"), _pad(minute, 2, "00"), pl.lit(":"), _pad(second, 2, "00")]
            )
        )
        .otherwise(pl.lit(default_time))
    )
    canonical = pl.concat_str(
        [year, pl.lit("-"), _pad(month, 2, "01"), pl.lit("-"), _pad(day, 2, "01"), pl.lit(" "), time_text]
    )
    return pl.struct(canonical.alias("canonical"), zone.alias("zone"))


def boolean(column: str) -> pl.Expr:
    """Yes/no in the kit's vocabulary (1/0, true/false, có/không, x, đạt …); empty is no."""
    # One hashed look-up of each text: half the work of asking the two word lists in turn.
    words = pl.col(column).cast(pl.String).str.strip_chars().str.to_lowercase()
    value = words.replace_strict(YES_OR_NO, default=None, return_dtype=pl.Boolean)
    return pl.when(pl.col(column).is_null()).then(False).otherwise(value)


def integer(column: str) -> pl.Expr:
    """A whole number written as digits (a trailing ".0" from spreadsheets is accepted)."""
    return text(column).str.replace(r"\.0+$", "").cast(pl.Int64, strict=False)


def mapped(column: str, mapping: dict[str, int]) -> pl.Expr:
    """A code looked up case-insensitively in `mapping`; unknown text gives null."""
    keys = list(mapping)
    values = [mapping[key] for key in keys]
    return text(column).str.to_lowercase().replace_strict(keys, values, default=None, return_dtype=pl.Int16)


def unreadable(column: str, parsed: pl.Expr) -> pl.Expr:
    """True where the cell has text but the reader could not make a value of it."""
    return text(column).is_not_null() & parsed.is_null()
