"""Turning a batch of text rows into dossier rows ready to store, and explaining the rows that are not.

`DossierReader.prepare(batch)` returns (rows, errors): `rows` has exactly the columns of the
dossier table (plus `_row`), typed and classified; `errors` has one line per problem found
(`_row`, `column`, `message`), in the interface language.
"""

import datetime
import json
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.utils.translation import gettext as _

from cchc.onestop.ingest import rules
from cchc.onestop.ingest.reading import ROW
from cchc.onestop.ingest.values import boolean, datetime_utc, integer, mapped, text, unreadable
from cchc.workdays.calendar import FIRST_YEAR, LAST_YEAR, WorkCalendar

ALIASES = {
    "MaHoSo": "dossier_code",
    "MaTTHC": "procedure_code",
    "MaDonVi": "unit_code",
    "NgayTiepNhan": "received_at",
    "NgayHenTra": "due_at",
    "NgayKetThucXuLy": "finished_at",
    "NgayTra": "returned_at",
    "TrangThaiHoSo": "status",
    "KenhThucHien": "channel",
}
REQUIRED = ("dossier_code", "procedure_code", "unit_code", "received_at")
OPTIONAL = (
    "channel",
    "due_at",
    "finished_at",
    "returned_at",
    "status",
    "supplements",
    "apology_at",
    "rescheduled_due_at",
    "digitized",
    "e_result",
    "paid_online",
    "rating",
)
CHANNELS = {
    "1": 1,
    "direct": 1,
    "trực tiếp": 1,
    "truc tiep": 1,
    "2": 2,
    "online": 2,
    "trực tuyến": 2,
    "truc tuyen": 2,
    "3": 3,
    "post": 3,
    "bưu chính": 3,
    "buu chinh": 3,
}
RATINGS = {
    "satisfied": 1,
    "hài lòng": 1,
    "1": 1,
    "neutral": 2,
    "bình thường": 2,
    "2": 2,
    "unsatisfied": 3,
    "không hài lòng": 3,
    "3": 3,
}
TERMINAL = (7, 8, 9, 10)
UNCOUNTED = (1, 3)
CODE_LENGTH = 64

# Columns of the dossier table, in the order the store writes them.
STORED = (
    "code",
    "procedure_id",
    "unit_id",
    "channel",
    "status",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "supplements",
    "apology_at",
    "rescheduled_due_at",
    "digitized",
    "e_result",
    "paid_online",
    "rating",
    "due_computed",
    "counted",
    "supplement_count",
    "outcome",
    "overdue_from",
    "apology_valid",
    "received_month",
    "finished_month",
    "overdue_month",
    "updated_at",
    "province_code",
)
UTC = pl.Datetime("us", "UTC")


@dataclass
class Lookups:
    """What rows are checked against: procedures, unit codes by validity, and the importer's reach."""

    procedures: pl.DataFrame  # procedure_code, procedure_id, time_limit, time_unit
    unit_codes: pl.DataFrame  # unit_code, unit_id, path, valid_from, valid_to, province_code
    allowed_paths: list[str] | None  # None: every unit
    procedure_traits: (
        pl.DataFrame
    )  # procedure_id, field, has_fee, online, written_result: what rollups count by


def load_lookups(allowed_paths: list[str] | None) -> Lookups:
    from cchc.onestop.models import Procedure
    from cchc.units.models import PATH_STEP, Unit, UnitCode

    procedures = pl.DataFrame(
        list(Procedure.objects.values_list("code", "id", "time_limit", "time_unit")),
        schema={
            "procedure_code": pl.String,
            "procedure_id": pl.Int64,
            "time_limit": pl.Float64,
            "time_unit": pl.String,
        },
        orient="row",
    )
    codes = pl.DataFrame(
        list(UnitCode.objects.values_list("code", "unit_id", "unit__path", "valid_from", "valid_to")),
        schema={
            "unit_code": pl.String,
            "unit_id": pl.Int64,
            "path": pl.String,
            "valid_from": pl.Date,
            "valid_to": pl.Date,
        },
        orient="row",
    )
    # The province of a unit is the unit at the top of its path: its latest code is the dossier's
    # distribution key (models.Dossier.province_code).
    provinces = pl.DataFrame(
        list(Unit.objects.filter(parent__isnull=True).values_list("path", "code")),
        schema={"province_path": pl.String, "province_code": pl.String},
        orient="row",
    )
    codes = codes.with_columns(province_path=pl.col("path").str.slice(0, PATH_STEP + 1)).join(
        provinces, on="province_path", how="left"
    )
    codes = codes.with_columns(pl.col("province_code").fill_null("")).drop("province_path")
    traits = pl.DataFrame(
        list(Procedure.objects.values_list("id", "field", "has_fee", "online", "written_result")),
        schema={
            "procedure_id": pl.Int64,
            "field": pl.String,
            "has_fee": pl.Boolean,
            "online": pl.String,
            "written_result": pl.Boolean,
        },
        orient="row",
    )
    return Lookups(procedures, codes, allowed_paths, traits)


class DossierReader:
    def __init__(
        self,
        lookups: Lookups,
        calendar: WorkCalendar,
        deadlines: rules.DeadlineSettings,
        now: datetime.datetime,
    ) -> None:
        self.lookups = lookups
        self.calendar = calendar
        self.deadlines = deadlines
        self.now = now

    def check_columns(self, columns: list[str]) -> list[str]:
        """Names of the required columns the file lacks."""
        return [name for name in REQUIRED if name not in columns]

    def prepare(self, batch: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        batch = batch.with_columns(
            [
                pl.lit(None, dtype=pl.String).alias(name)
                for name in REQUIRED + OPTIONAL
                if name not in batch.columns
            ]
        )
        checks: list[tuple[pl.DataFrame, pl.Expr, str, pl.Expr | str]] = []

        def problem(
            mask: pl.Expr, column: str, message: pl.Expr | str, frame: pl.DataFrame | None = None
        ) -> None:
            checks.append((batch if frame is None else frame, mask, column, message))

        typed = batch.with_columns(
            code=text("dossier_code"),
            procedure_code=text("procedure_code"),
            unit_code=text("unit_code"),
            channel_value=pl.coalesce(
                mapped("channel", CHANNELS), pl.when(text("channel").is_null()).then(1)
            ),
            status_value=integer("status"),
            received=datetime_utc("received_at"),
            due_given=datetime_utc("due_at", date_only_end_of_day=True),
            finished=datetime_utc("finished_at"),
            returned=datetime_utc("returned_at"),
            apology=datetime_utc("apology_at"),
            rescheduled=datetime_utc("rescheduled_due_at", date_only_end_of_day=True),
            digitized_value=boolean("digitized"),
            e_result_value=boolean("e_result"),
            paid_online_value=boolean("paid_online"),
            rating_value=mapped("rating", RATINGS),
        )
        code = pl.col("code")
        problem(code.is_null(), "dossier_code", _("The dossier code is missing."), typed)
        problem(
            code.str.len_chars() > CODE_LENGTH,
            "dossier_code",
            _("The dossier code is longer than %(n)d characters.") % {"n": CODE_LENGTH},
            typed,
        )
        problem(
            unreadable("rating", pl.col("rating_value")),
            "rating",
            pl.format(_("“{}” is not a valid value."), text("rating")),
            typed,
        )
        problem(
            text("channel").is_not_null() & pl.col("channel_value").is_null(),
            "channel",
            pl.format(_("“{}” is not a channel: write direct, online, post or 1, 2, 3."), text("channel")),
            typed,
        )
        status_ok = pl.col("status_value").is_between(1, 10)
        problem(
            text("status").is_not_null() & ~status_ok.fill_null(False),
            "status",
            pl.format(_("“{}” is not a status code (1 to 10)."), text("status")),
            typed,
        )
        for column in ("digitized", "e_result", "paid_online"):
            problem(
                unreadable(column, pl.col(f"{column}_value")),
                column,
                pl.format(_("“{}” is not yes or no."), text(column)),
                typed,
            )
        problem(
            pl.col("received").is_null() & text("received_at").is_null(),
            "received_at",
            _("The date of receipt is missing."),
            typed,
        )
        for column, value in (
            ("received_at", "received"),
            ("due_at", "due_given"),
            ("finished_at", "finished"),
            ("returned_at", "returned"),
            ("apology_at", "apology"),
            ("rescheduled_due_at", "rescheduled"),
        ):
            problem(
                unreadable(column, pl.col(value)),
                column,
                pl.format(
                    _("“{}” is not a date and time (write 2026-01-31T08:30 or 31/01/2026 08:30)."),
                    text(column),
                ),
                typed,
            )
            # Deadlines are counted on the working-day calendar, which holds these years only.
            year = pl.col(value).dt.year()
            problem(
                (year < FIRST_YEAR) | (year > LAST_YEAR),
                column,
                pl.format(
                    _("“{}” lies outside the years the working-day calendar covers (%(first)s–%(last)s).")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR},
                    text(column),
                ),
                typed,
            )
        now = pl.lit(self.now).cast(UTC)
        problem(pl.col("received") > now, "received_at", _("The date of receipt is in the future."), typed)
        problem(pl.col("finished") > now, "finished_at", _("The end of processing is in the future."), typed)
        problem(
            pl.col("finished") < pl.col("received"),
            "finished_at",
            _("The end of processing is before the date of receipt."),
            typed,
        )
        problem(
            pl.col("returned") < pl.col("received"),
            "returned_at",
            _("The date of return is before the date of receipt."),
            typed,
        )
        problem(
            pl.col("due_given") < pl.col("received"),
            "due_at",
            _("The due date is before the date of receipt."),
            typed,
        )

        # Status and end of processing must agree; a returned dossier without an end takes its return.
        typed = typed.with_columns(
            status_value=pl.col("status_value").fill_null(
                pl.when(pl.col("finished").is_not_null()).then(9).otherwise(2)
            ),
        ).with_columns(
            finished=pl.when(pl.col("finished").is_null() & (pl.col("status_value") == 10))
            .then(pl.col("returned"))
            .otherwise(pl.col("finished"))
        )
        terminal = pl.col("status_value").is_in(TERMINAL)
        problem(
            status_ok & terminal & pl.col("finished").is_null() & text("finished_at").is_null(),
            "finished_at",
            _("A dossier with a final status needs the end of processing."),
            typed,
        )
        problem(
            ~terminal & pl.col("finished").is_not_null(),
            "status",
            _("The dossier has an end of processing but its status is not a final one (7 to 10)."),
            typed,
        )

        typed = self._join_procedures(typed, problem)
        typed = self._join_units(typed, problem)
        typed = self._supplements(typed, problem)

        missing_due = pl.col("due_given").is_null() & text("due_at").is_null()
        problem(
            missing_due & pl.col("procedure_id").is_not_null() & pl.col("time_limit").is_null(),
            "due_at",
            _("No due date was sent and the procedure has no time limit to compute one."),
            typed,
        )

        problems = _problems_found(checks)
        errors = (
            pl.concat(problems)
            if problems
            else pl.DataFrame(schema={ROW: pl.Int64, "column": pl.String, "message": pl.String})
        )
        good = typed.join(errors.select(ROW).unique(), on=ROW, how="anti") if problems else typed
        return self._finish(good), errors.sort(ROW)

    def _join_procedures(self, typed: pl.DataFrame, problem: Any) -> pl.DataFrame:
        typed = typed.join(self.lookups.procedures, on="procedure_code", how="left")
        problem(
            pl.col("procedure_code").is_null(), "procedure_code", _("The procedure code is missing."), typed
        )
        problem(
            pl.col("procedure_code").is_not_null() & pl.col("procedure_id").is_null(),
            "procedure_code",
            pl.format(_("The procedure “{}” is not in the list of procedures."), pl.col("procedure_code")),
            typed,
        )
        return typed

    def _join_units(self, typed: pl.DataFrame, problem: Any) -> pl.DataFrame:
        received_day = rules.local_date(pl.col("received"))
        candidates = typed.select(ROW, "unit_code", "received").join(self.lookups.unit_codes, on="unit_code")
        valid = candidates.filter(
            (pl.col("valid_from").is_null() | (pl.col("valid_from") <= received_day))
            & (pl.col("valid_to").is_null() | (pl.col("valid_to") >= received_day))
        ).unique(subset=ROW, keep="first")
        typed = typed.join(valid.select(ROW, "unit_id", "path", "province_code"), on=ROW, how="left")
        known = candidates.select(ROW).unique().with_columns(code_known=pl.lit(True))
        typed = typed.join(known, on=ROW, how="left")
        problem(pl.col("unit_code").is_null(), "unit_code", _("The unit code is missing."), typed)
        problem(
            pl.col("unit_code").is_not_null() & pl.col("code_known").is_null(),
            "unit_code",
            pl.format(_("No unit has the code “{}”."), pl.col("unit_code")),
            typed,
        )
        problem(
            pl.col("code_known") & pl.col("unit_id").is_null() & pl.col("received").is_not_null(),
            "unit_code",
            pl.format(_("The unit code “{}” was not in use on the date of receipt."), pl.col("unit_code")),
            typed,
        )
        allowed = self.lookups.allowed_paths
        if allowed is not None:
            inside = pl.lit(False)
            for path in allowed:
                inside = inside | pl.col("path").str.starts_with(path)
            problem(
                pl.col("unit_id").is_not_null() & ~inside,
                "unit_code",
                pl.format(_("You may not enter dossiers for the unit “{}”."), pl.col("unit_code")),
                typed,
            )
        return typed

    def _supplements(self, typed: pl.DataFrame, problem: Any) -> pl.DataFrame:
        """Read the supplement requests: a JSON list of [requested_at, completed_at] pairs."""
        empty = {"supplements_json": "[]", "supplement_count": 0, "supplement_done_us": 0}
        raw = typed.select(ROW, text("supplements").alias("text"), "received").filter(
            pl.col("text").is_not_null()
        )
        if raw.height == 0:
            return typed.with_columns(
                supplements_json=pl.lit(empty["supplements_json"]),
                supplement_count=pl.lit(0, dtype=pl.Int16),
                supplement_done_us=pl.lit(0, dtype=pl.Int64),
                supplement_open_at=pl.lit(None, dtype=UTC),
                supplement_second_at=pl.lit(None, dtype=UTC),
            )
        # Cells already in the usual shape are taken as they are; only the others are looked at one
        # by one in Python (which accepts any valid JSON of that shape, or says it is not).
        usual = pl.col("text").str.contains(USUAL_PAIRS)
        shaped = pl.concat(
            [
                raw.filter(usual).with_columns(pairs=pl.col("text")),
                raw.filter(~usual).with_columns(
                    pairs=pl.col("text").map_elements(_pairs_or_none, return_dtype=pl.String)
                ),
            ]
        )
        problem(
            pl.col("pairs").is_null(),
            "supplements",
            _("Supplements must be a JSON list of [requested_at, completed_at] pairs."),
            shaped,
        )
        pairs = (
            shaped.filter(pl.col("pairs").is_not_null())
            .with_columns(pair=pl.col("pairs").str.json_decode(pl.List(pl.List(pl.String))))
            .select(ROW, "received", "pair")
            .explode("pair")
            .filter(pl.col("pair").is_not_null())
            .with_columns(
                position=pl.int_range(pl.len()).over(ROW),
                count=pl.len().over(ROW),
                requested_text=pl.col("pair").list.get(0, null_on_oob=True),
                completed_text=pl.col("pair").list.get(1, null_on_oob=True),
            )
            .with_columns(requested=datetime_utc("requested_text"), completed=datetime_utc("completed_text"))
        )
        problem(
            pl.col("requested").is_null(),
            "supplements",
            _("A supplement request has no readable date of request."),
            pairs,
        )
        problem(
            unreadable("completed_text", pl.col("completed")),
            "supplements",
            _("A supplement request has an unreadable date of completion."),
            pairs,
        )
        problem(
            pl.col("completed") < pl.col("requested"),
            "supplements",
            _("A supplement was completed before it was requested."),
            pairs,
        )
        problem(
            pl.col("requested") < pl.col("received"),
            "supplements",
            _("A supplement was requested before the dossier was received."),
            pairs,
        )
        problem(
            pl.col("completed").is_null() & (pl.col("position") < pl.col("count") - 1),
            "supplements",
            _("Only the last supplement request can still be open."),
            pairs,
        )
        summary = pairs.group_by(ROW).agg(
            supplement_count=pl.len().cast(pl.Int16),
            supplement_done_us=(pl.col("completed") - pl.col("requested")).dt.total_microseconds().sum(),
            supplement_open_at=pl.col("requested").filter(pl.col("completed").is_null()).first(),
            supplement_second_at=pl.col("requested").filter(pl.col("position") == 1).first(),
            supplements_json=pl.concat_str(
                pl.lit("["),
                pl.format(
                    "[{}, {}]", _json_text(pl.col("requested")), _json_text(pl.col("completed"))
                ).str.join(", "),
                pl.lit("]"),
            ),
        )
        typed = typed.join(summary, on=ROW, how="left")
        return typed.with_columns(
            supplements_json=pl.col("supplements_json").fill_null("[]"),
            supplement_count=pl.col("supplement_count").fill_null(0),
            supplement_done_us=pl.col("supplement_done_us").fill_null(0),
        )

    def _finish(self, good: pl.DataFrame) -> pl.DataFrame:
        if good.height == 0:
            return pl.DataFrame(schema={ROW: pl.Int64, **{name: pl.String for name in STORED}})
        computed = rules.compute_due(
            good["received"], good["time_limit"], good["time_unit"], self.calendar, self.deadlines
        )
        good = good.with_columns(
            due_computed=pl.col("due_given").is_null(),
            due_at=pl.coalesce(pl.col("due_given"), pl.lit(computed)),
            received_at=pl.col("received"),
            finished_at=pl.col("finished"),
            apology_at=pl.col("apology"),
            rescheduled_due_at=pl.col("rescheduled"),
        )
        good = rules.classify(good, self.calendar, self.deadlines.apology_notice_working_days)
        return good.select(
            pl.col(ROW),
            pl.col("code"),
            pl.col("procedure_id"),
            pl.col("unit_id"),
            pl.col("channel_value").cast(pl.Int16).alias("channel"),
            pl.col("status_value").cast(pl.Int16).alias("status"),
            pl.col("received_at"),
            pl.col("due_at"),
            pl.col("finished_at"),
            pl.col("returned").alias("returned_at"),
            pl.col("supplements_json").alias("supplements"),
            pl.col("apology_at"),
            pl.col("rescheduled_due_at"),
            pl.col("digitized_value").fill_null(False).alias("digitized"),
            pl.col("e_result_value").fill_null(False).alias("e_result"),
            pl.col("paid_online_value").fill_null(False).alias("paid_online"),
            pl.col("rating_value").cast(pl.Int16).alias("rating"),
            pl.col("due_computed"),
            (~pl.col("status_value").is_in(UNCOUNTED)).alias("counted"),
            pl.col("supplement_count").cast(pl.Int16),
            pl.col("outcome"),
            pl.col("overdue_from"),
            pl.col("apology_valid"),
            pl.col("received_month"),
            pl.col("finished_month"),
            pl.col("overdue_month"),
            pl.lit(self.now).cast(UTC).alias("updated_at"),
            pl.col("province_code"),
        )


def _problems_found(checks: list[tuple[pl.DataFrame, pl.Expr, str, pl.Expr | str]]) -> list[pl.DataFrame]:
    """The rows each check finds (ROW, column, message), in the order of the checks.

    Nearly every batch is clean: the masks of each frame are first asked together whether they find
    anything at all, in one pass that polars runs in parallel; only the rare ones that do are
    filtered for their rows. (One filter per check took a sixth of the checking time.)
    """
    by_frame: dict[int, list[int]] = {}
    for index, (frame, *_rest) in enumerate(checks):
        by_frame.setdefault(id(frame), []).append(index)
    hits: set[int] = set()
    for indexes in by_frame.values():
        frame = checks[indexes[0]][0]
        # Lazily, so that polars computes once what several masks share (the stripped texts).
        masks = [checks[i][1].fill_null(False).any().alias(str(i)) for i in indexes]
        found = frame.lazy().select(masks).collect().row(0)
        hits.update(i for i, hit in zip(indexes, found, strict=True) if hit)
    problems = []
    for index in sorted(hits):
        frame, mask, column, message = checks[index]
        problems.append(
            frame.filter(mask.fill_null(False)).select(
                pl.col(ROW),
                pl.lit(column).alias("column"),
                (message if isinstance(message, pl.Expr) else pl.lit(message)).alias("message"),
            )
        )
    return problems


def _json_text(expr: pl.Expr) -> pl.Expr:
    return (
        pl.when(expr.is_null())
        .then(pl.lit("null"))
        .otherwise(
            pl.concat_str(
                pl.lit('"'),
                expr.dt.convert_time_zone(rules.LOCAL_TZ).dt.strftime("%Y-%m-%dT%H:%M:%S%:z"),
                pl.lit('"'),
            )
        )
    )


_JSON_TEXT = r'"[^"\\\x00-\x1f]*"'  # a JSON string without escapes or control characters
_S = r"[ \t\n\r]*"  # JSON's white space (the regex \s would take more)
_PAIR = rf"\[{_S}{_JSON_TEXT}{_S}(,{_S}({_JSON_TEXT}|null){_S})?\]"
USUAL_PAIRS = rf"^{_S}\[{_S}({_PAIR}{_S}(,{_S}{_PAIR}{_S})*)?\]{_S}$"


def _pairs_or_none(value: str) -> str | None:
    """The supplements cell as a JSON list of two-text lists, or None when it is not that shape."""
    try:
        data = json.loads(value)
    except ValueError:
        return None
    if not isinstance(data, list):
        return None
    pairs = []
    for item in data:
        if not isinstance(item, list) or not 1 <= len(item) <= 2:
            return None
        requested, completed = [*item, None][:2]
        if requested is None or not isinstance(requested, str) or not isinstance(completed, str | type(None)):
            return None
        pairs.append([requested, completed])
    return json.dumps(pairs)
