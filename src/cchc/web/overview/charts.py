"""The overview's chart data: plain lists for ECharts (web/static/web/overview.js)."""

from typing import Any

from django.utils.translation import gettext as _

from cchc.web.overview.data import OneStopSection


def trend_chart(section: OneStopSection) -> dict[str, Any]:
    """The on-time rate month by month, with the goal as a flat line when there is one."""
    return {
        "months": [point.short for point in section.trend],
        "labels": [point.label for point in section.trend],
        "urls": [point.url for point in section.trend],
        "values": [None if point.value is None else float(point.value) for point in section.trend],
        "goal": None if section.goal is None else float(section.goal),
        "name": _("On-time rate"),
        "goal_name": _("Goal"),
    }
