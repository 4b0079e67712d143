"""Notification tests reuse the plans' report fixtures (a 2026 plan with its rounds and leaders) and run
queued tasks in the test, once the transaction's on-commit callbacks run."""

from tests.plans.reports.conftest import (  # noqa: F401  (fixtures)
    commune_leader,
    justice_leader,
    plan,
    q1,
    report,
    rounds,
)
