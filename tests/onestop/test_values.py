"""The readers of dates and times: the shortcuts for the common shapes give what the general patterns
give, value for value, including the texts that are not dates."""

import polars as pl

from cchc.onestop.ingest import values

TEXTS = [
    "2026-01-05 08:30:00",  # the canonical shape, parsed as it is
    "2026-01-05T08:30:00",
    "2026-01-05",
    "05/01/2026 08:30",
    "5/1/2026 8h30",
    "2026-1-5 8:30",
    "2026-01-05 08:30:00+07:00",
    "2026-01-05T01:30:00Z",
    "2026-01-05 08:30:00.250",
    "2026-02-31 08:30:00",  # canonical in shape, but no such day
    "2026-01-05 24:00:00",
    "2026-01-05 08:30:61",
    "31/02/2026 08:30",
    "2026-01-05 8:30:00",
    "20260105 083000",
    "2026-01-05 08: 30:0",  # the canonical format alone would read these three; the patterns refuse them
    "+2026-1-05 08:30:00",
    "2026-01-05\t08:30:00",
    "hôm qua",
    "",
    None,
]


def _general_only(texts: list[str | None], default_time: str) -> list:
    """What the general patterns alone make of each text (the reading before any shortcut)."""
    frame = pl.DataFrame({"value": pl.Series(texts, dtype=pl.String)}).with_columns(
        value=pl.when(pl.col("value").str.strip_chars() == "")
        .then(None)
        .otherwise(pl.col("value").str.strip_chars())
    )
    parts = frame.select(parts=values._general_canonical(pl.col("value"), default_time)).unnest("parts")
    naive = pl.col("canonical").str.strptime(pl.Datetime("us"), values.CANONICAL_FORMAT, strict=False)
    return (
        parts.select(
            (naive - pl.duration(minutes=values._offset_minutes(pl.col("zone")))).dt.replace_time_zone("UTC")
        )
        .to_series()
        .to_list()
    )


def test_every_shortcut_reads_a_text_as_the_general_patterns_do():
    frame = pl.DataFrame({"at": pl.Series(TEXTS * 3, dtype=pl.String)})
    for end_of_day in (False, True):
        got = frame.select(values.datetime_utc("at", date_only_end_of_day=end_of_day)).to_series().to_list()
        expected = _general_only(TEXTS * 3, "23:59:59" if end_of_day else "00:00:00")
        assert got == expected
    readable = [text for text, value in zip(TEXTS, got[: len(TEXTS)], strict=True) if value is not None]
    assert "2026-01-05 08:30:00" in readable and "05/01/2026 08:30" in readable
    assert "2026-02-31 08:30:00" not in readable and "hôm qua" not in readable
