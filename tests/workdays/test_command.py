"""`cchc workdays add` and `cchc workdays count`: stable output a script can read."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("official_data")]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


def test_add_prints_the_issue_example():
    assert run("add", "2026-02-13", "5") == "2026-02-27\n"


def test_add_counts_the_make_up_saturday():
    assert run("add", "2025-04-25", "3") == "2025-04-29\n"


def test_add_zero_prints_the_start():
    assert run("add", "2026-03-07", "0") == "2026-03-07\n"


def test_count_prints_the_working_days_of_the_inclusive_range():
    assert run("count", "2026-02-01", "2026-02-28") == "15\n"
    assert run("count", "2026-03-02", "2026-03-02") == "1\n"


def test_json_output():
    assert json.loads(run("add", "2026-02-13", "5", "--json")) == {
        "start": "2026-02-13", "n": 5, "result": "2026-02-27",
    }  # fmt: skip
    assert json.loads(run("count", "2026-02-01", "2026-02-28", "--json")) == {
        "start": "2026-02-01", "end": "2026-02-28", "working_days": 15,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "13/02/2026", "5"), "not a date: write it as YYYY-MM-DD"),
        (("add", "2026-02-30", "5"), "not a date"),
        (("add", "2026-02-13", "five"), "not a whole number"),
        (("add", "2026-02-13", "-2"), "zero or more"),
        (("count", "2026-03-01", "2026-02-01"), "before the start"),
        (("count", "2026-03-01", "yesterday"), "not a date"),
        (("add", "1980-01-01", "1"), "outside"),
    ],
)
def test_malformed_input_is_a_command_error_that_says_what_is_wrong(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
