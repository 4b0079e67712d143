"""Two people pressing the same button together, made repeatable: the first one's transaction has
written and is not yet committed when the second one starts (PostgreSQL; SQLite serialises writers)."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

HOLD_SECONDS = 0.5  # how long the first keeps its transaction open once the second has started


def while_first_uncommitted(first: Callable[[], Any], second: Callable[[], Any]) -> Any:
    """Run `first` in a thread inside a transaction kept open after it returns, and `second` meanwhile
    in this thread; what `second` returns (or raises). A failure of `first` fails the caller."""
    written, second_started = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def run_first() -> None:
        try:
            with transaction.atomic():
                first()
                written.set()
                second_started.wait(10)
                threading.Event().wait(HOLD_SECONDS)
        except BaseException as error:  # reported below, not lost in the thread
            failures.append(error)
        finally:
            written.set()
            connection.close()

    thread = threading.Thread(target=run_first)
    thread.start()
    try:
        written.wait(10)
        assert not failures, failures
        second_started.set()
        return second()
    finally:
        second_started.set()
        thread.join()
        assert not failures, failures
