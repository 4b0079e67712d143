"""The plan at a glance: targets as traffic lights, tasks by area and status, overdue tasks by unit,
the league table of units, the calendar of deadlines and the user's reminders."""

import json

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from cchc.core.replica import reads_from_replica
from cchc.plans.queries.dashboard import CALENDAR_DAYS, dashboard
from cchc.plans.queries.projections import projections
from cchc.plans.reminders import reminders_for
from cchc.plans.views.common import STATES, plan_or_404, plan_period

PANEL_SIZE = 10


@login_required
@reads_from_replica
def plan_dashboard(request, pk: int):
    plan = plan_or_404(request.user, pk)
    today = timezone.localdate()
    period, period_error, periods = plan_period(request, plan)
    read = dashboard(plan, period, today)
    chart = read.chart
    reminders = reminders_for(request.user, today, plan=plan)
    # Early warning: where each target of the plan's own unit is heading by the end of this year.
    projected = projections(
        [reading.target for reading in read.lights],
        plan.issuing_unit,
        period.year,
        today,
        {reading.target.pk: reading.goal for reading in read.lights},
    )
    context = {
        "plan": plan,
        "today": today,
        "period": period,
        "period_error": period_error,
        "periods": periods,
        "states": STATES,
        "lights": read.lights,
        "projections": projected,
        "chart": chart,
        "chart_json": json.dumps(chart, ensure_ascii=False),
        # The same counts as a table, for screen readers and for printing.
        "chart_rows": [
            (category, [series["data"][i] for series in chart["series"]])
            for i, category in enumerate(chart["categories"])
        ],
        "task_count": read.task_count,
        "overdue": read.overdue,
        "league": read.league,
        "calendar": read.calendar,
        "calendar_days": CALENDAR_DAYS,
        "reminders": reminders[:PANEL_SIZE],
        "more_reminders": max(len(reminders) - PANEL_SIZE, 0),
    }
    return render(request, "plans/dashboard.html", context)
