"""The overview (`cchc.web.overview.data.Overview`) as the brief's text: the one place that reads it.

Numbers are formatted by the same filters as the overview page (`cchc_format`): counts without
decimals, rates with one decimal ("97,5 %"), the PAR and SIPAS indices with two, no data as a dash.
Tables name at most five rows (the overview's own "worst five"), so the page stays one page.
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from cchc.core.templatetags.cchc_format import figure, number, percent
from cchc.web.brief.content import BriefContent, Figure, Section, Table
from cchc.web.overview.data import (
    FeedbackSection,
    OneStopSection,
    Overview,
    ParIndexSection,
    SipasSection,
    TargetLine,
    TargetsSection,
    TasksSection,
)

ROWS = 5  # rows per table: the overview names the five worst


def short_date(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def target_value(value: Decimal | None, unit: str) -> str:
    """A target's figure as the overview's table shows it: "97,5 %" for a rate, "12" or "2,5" for
    other figures, a dash without data."""
    return percent(value) if unit == "%" else figure(value)


def signed(value: Decimal | None, decimals: int) -> str:
    """A change as the overview shows it, with a plus sign when it is a gain: "+1,25", "-0,50"."""
    text = number(value, decimals)
    return f"+{text}" if value is not None and value > 0 else text


def targets_section(targets: TargetsSection) -> Section:
    title = _("Plan targets")
    if targets.plan_pk is None:
        return Section(title, note=_("No administrative reform plan covers this unit and year yet."))
    figures = tuple(Figure(count.label, number(count.count)) for count in targets.counts)
    tables = ()
    if targets.worst:
        tables = (
            Table(
                headers=(_("Targets missed or at risk"), _("Result"), _("Goal"), _("State")),
                rows=tuple(_target_row(line) for line in targets.worst[:ROWS]),
                widths=(7, 2.5, 2.5, 2.5),
            ),
        )
    return Section(
        title,
        figures=figures,
        tables=tables,
        note=_("Plan: %(plan)s (%(unit)s).") % {"plan": targets.plan_title, "unit": targets.plan_unit},
    )


def _target_row(line: TargetLine) -> tuple[str, ...]:
    state = line.state_label
    if line.projected_miss and line.projection is not None:
        state = _("%(state)s (year-end forecast %(value)s)") % {
            "state": state,
            "value": target_value(line.projection.value, line.unit),
        }
    return (
        f"{line.code} {line.label}" if line.code else line.label,
        target_value(line.value, line.unit),
        f"{line.comparator} {target_value(line.goal, line.unit)}",
        state,
    )


def tasks_section(tasks: TasksSection) -> Section:
    title = _("Overdue tasks")
    figures = (Figure(_("Open tasks past their deadline"), number(tasks.total)),)
    if not tasks.by_unit:
        return Section(title, figures=figures)
    table = Table(
        headers=(_("Lead unit"), _("Overdue tasks")),
        rows=tuple((row.unit_name, number(row.count)) for row in tasks.by_unit[:ROWS]),
        widths=(12, 4),
    )
    return Section(title, figures=figures, tables=(table,))


def onestop_section(onestop: OneStopSection) -> Section:
    title = _("One-stop dossiers")
    goal = "" if onestop.goal is None else _("goal %(goal)s") % {"goal": percent(onestop.goal)}
    figures = [Figure(_("Dossiers resolved early or on time"), percent(onestop.value), goal)]
    if onestop.denominator is not None:
        figures.append(
            Figure(
                _("Dossiers counted"),
                f"{number(onestop.numerator)} / {number(onestop.denominator)}",
            )
        )
    tables = []
    shown = [point for point in onestop.trend if point.value is not None][-6:]
    if shown:
        tables.append(
            Table(
                headers=(_("Month"), *(point.short for point in shown)),
                rows=((_("On time"), *(percent(point.value) for point in shown)),),
                widths=(2.8, *([2.2] * len(shown))),
            )
        )
    if onestop.worst:
        tables.append(
            Table(
                headers=(_("Lowest on-time rates"), _("On time"), _("Dossiers")),
                rows=tuple(
                    (
                        row.unit_name,
                        percent(row.value),
                        f"{number(row.numerator)} / {number(row.denominator)}",
                    )
                    for row in onestop.worst[:ROWS]
                ),
                widths=(9, 3, 4),
            )
        )
    note = "" if onestop.value is not None else _("No dossier was finished or pending in this period.")
    return Section(title, figures=tuple(figures), tables=tuple(tables), note=note)


def parindex_section(par: ParIndexSection) -> Section:
    title = _("PAR Index")
    if par.campaign_pk is None:
        return Section(title, note=_("No PAR Index result has been published yet."))
    if par.index is not None:
        figures = [Figure(_("Index"), percent(par.index, 2), par.band)]
        if par.rank is not None:
            figures.append(
                Figure(
                    _("Rank"),
                    f"{number(par.rank)} / {number(par.ranked_among)}",
                    _signed_places(par.rank_change),
                )
            )
        if par.previous_index is not None:
            figures.append(Figure(_("Change on last year"), signed(par.index_change, 2), par.previous_note))
        return Section(title, figures=tuple(figures), note=par.campaign_title)
    figures = [
        Figure(_("Units scored"), number(par.units_scored)),
        Figure(_("Mean index"), percent(par.mean_index, 2)),
    ]
    tables = ()
    if par.bands:
        tables = (
            Table(
                headers=(_("Band"), _("Units")),
                rows=tuple((band, number(count)) for band, count in par.bands[:ROWS]),
                widths=(12, 4),
            ),
        )
    return Section(title, figures=tuple(figures), tables=tables, note=par.campaign_title)


def _signed_places(change: int | None) -> str:
    if not change:
        return ""
    if change > 0:
        return _("up %(places)s") % {"places": number(change)}
    return _("down %(places)s") % {"places": number(-change)}


def sipas_section(sipas: SipasSection) -> Section:
    title = _("Satisfaction (SIPAS)")
    if sipas.campaign_pk is None:
        return Section(title, note=_("No satisfaction survey has been held yet."))
    interval = ""
    if sipas.low is not None and sipas.high is not None:
        interval = _("95 %% interval %(low)s – %(high)s") % {
            "low": percent(sipas.low, 2),
            "high": percent(sipas.high, 2),
        }
    figures = [
        Figure(_("Satisfaction index"), percent(sipas.index, 2), interval),
        Figure(_("Answers"), number(sipas.responses)),
    ]
    if sipas.change is not None:
        figures.append(Figure(_("Change on last year"), signed(sipas.change, 2)))
    return Section(title, figures=tuple(figures), note=sipas.campaign_title)


def feedback_section(feedback: FeedbackSection) -> Section:
    return Section(
        _("Citizen feedback"),
        figures=(
            Figure(_("Received"), number(feedback.received)),
            Figure(_("Handled"), number(feedback.handled)),
            Figure(_("Overdue"), number(feedback.overdue)),
            Figure(_("Handled on time"), percent(feedback.on_time)),
        ),
    )


def content_from_overview(overview: Overview, generated_on: datetime.date) -> BriefContent:
    return BriefContent(
        title=_("Administrative reform brief"),
        unit_name=overview.unit_name,
        period_label=overview.period_label,
        as_of=_("Figures as of %(day)s") % {"day": short_date(overview.today)},
        sections=(
            targets_section(overview.targets),
            tasks_section(overview.tasks),
            onestop_section(overview.onestop),
            parindex_section(overview.parindex),
            sipas_section(overview.sipas),
            feedback_section(overview.feedback),
        ),
        footer=_("Prepared on %(day)s from the figures of the administrative reform system.")
        % {"day": short_date(generated_on)},
    )
