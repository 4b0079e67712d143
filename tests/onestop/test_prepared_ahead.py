"""Batches are checked on a worker thread one batch ahead of the caller: the caller must still get
them in order, in its own language, with the worker's failures, and an early stop must read no more."""

import threading

import polars as pl
import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from cchc.onestop.ingest.reading import prepared_ahead

MESSAGE = "The dossier code is missing."


def numbered(count, read):
    for number in range(count):
        read.append(number)
        yield pl.DataFrame({"n": [number]})


def test_each_batch_comes_with_its_own_result_in_order_from_another_thread():
    threads = set()

    def prepare(batch):
        threads.add(threading.get_ident())
        return int(batch["n"][0]) * 10

    got = [(int(batch["n"][0]), prepared) for batch, prepared in prepared_ahead(numbered(6, []), prepare)]
    assert got == [(n, n * 10) for n in range(6)]
    assert threads and threading.get_ident() not in threads


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_worker_writes_its_messages_in_the_callers_language(language):
    with translation.override(language):
        expected = _(MESSAGE)
        got = [message for _batch, message in prepared_ahead(numbered(2, []), lambda batch: _(MESSAGE))]
    assert got == [expected, expected]
    assert (expected != MESSAGE) == (language == "vi")  # Vietnamese is really another text


def test_a_failure_of_the_worker_reaches_the_caller_after_the_batches_before_it():
    def prepare(batch):
        if int(batch["n"][0]) == 2:
            raise ValueError("batch two")
        return "ok"

    seen = []
    with pytest.raises(ValueError, match="batch two"):
        for batch, prepared in prepared_ahead(numbered(5, []), prepare):
            seen.append((int(batch["n"][0]), prepared))
    assert seen == [(0, "ok"), (1, "ok")]


def test_stopping_early_reads_no_further_than_the_batch_prepared_ahead():
    read, prepared = [], []
    batches = prepared_ahead(numbered(50, read), lambda batch: prepared.append(int(batch["n"][0])))
    next(batches)
    batches.close()
    assert read == [0, 1]
    assert set(prepared) <= {0, 1}
