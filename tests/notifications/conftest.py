"""Notification tests reuse the plans' report fixtures (a 2026 plan with its rounds and leaders) and run
queued tasks in the test, once the transaction's on-commit callbacks run."""

import pytest

from tests.plans.reports.conftest import (  # noqa: F401  (fixtures)
    commune_leader,
    justice_leader,
    plan,
    q1,
    report,
    rounds,
)


@pytest.fixture
def committed(jobs_run_in_process, django_capture_on_commit_callbacks):
    """committed(): a context in which the service calls' on-commit callbacks run at its end, as after a
    real commit; the notification task then runs at once (the immediate backend)."""

    def context():
        return django_capture_on_commit_callbacks(execute=True)

    return context
