"""The read side of the one-stop module.

- `stats`: statistics of a unit's subtree for a period, from the monthly rollups;
- `dossiers`: the dossiers behind a figure, the overdue to-do list, a dossier's history;
- `dashboard`: the dashboard's figures with the links behind them;
- `index`: the QĐ 766 service index beside the official scores;
- `procedures`: the catalogue of procedures and its filter.

The statistics and the dossier look-ups are re-exported here (`queries.unit_stats(...)`).
"""

from cchc.onestop.queries.dossiers import MEASURES, dossiers_behind, overdue_todo
from cchc.onestop.queries.stats import (
    RATES,
    Stats,
    children_of,
    in_calendar,
    late_by_field,
    month_grid,
    monthly_trend,
    months_of,
    parse_period,
    pending_now,
    rate,
    stats_for_units,
    unit_stats,
)

__all__ = [
    "MEASURES",
    "RATES",
    "Stats",
    "children_of",
    "dossiers_behind",
    "in_calendar",
    "late_by_field",
    "month_grid",
    "monthly_trend",
    "months_of",
    "overdue_todo",
    "parse_period",
    "pending_now",
    "rate",
    "stats_for_units",
    "unit_stats",
]
