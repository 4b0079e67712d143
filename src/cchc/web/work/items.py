"""What the home page lists: one thing waiting for the signed-in user, and the kinds they are grouped by.

Every domain module of this package returns `WorkItem`s; the page groups them by `kind` and puts the
most urgent first. A deadline is counted in working days by the working-day engine (Tết, swapped and
make-up days included); work that has no deadline of its own (a report to review) tells how long it
has been waiting instead.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cchc.workdays.calendar import WorkCalendar, working_days_between

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Kind:
    """A kind of work: its heading on the page, the navigation section that owns it, and the sentence
    the page shows when there is none of it (what will appear here, and when)."""

    key: str
    label: Promise
    section: str  # the URL name of the navigation entry whose badge counts it


# The kinds in the order the page lists groups that are equally urgent; each module uses its own.
TASK_DUE = Kind("task-due", _("Tasks due"), "plans:plan-list")
REPORT_DUE = Kind("report-due", _("Periodic reports to write and submit"), "plans:plan-list")
REPORT_APPROVE = Kind("report-approve", _("Reports to approve"), "plans:plan-list")
REPORT_REVIEW = Kind("report-review", _("Reports to accept or return"), "plans:plan-list")
UPDATE_REVIEW = Kind("update-review", _("Progress updates to review"), "plans:plan-list")
DEADLINE_DECIDE = Kind("deadline-decide", _("Deadline changes to decide"), "plans:plan-list")
FINDING_REMEDY = Kind("finding-remedy", _("Inspection findings to remedy"), "plans:inspection-plans")
FINDING_VERIFY = Kind("finding-verify", _("Remedies to verify"), "plans:inspection-plans")
PAR_SELF = Kind("par-self", _("PAR Index: self-assessments to complete"), "parindex:campaigns")
PAR_SUBMIT = Kind("par-submit", _("PAR Index: self-assessments to submit"), "parindex:campaigns")
PAR_APPRAISE = Kind("par-appraise", _("PAR Index: scorecards to appraise"), "parindex:campaigns")
PAR_EXPLAIN = Kind("par-explain", _("PAR Index: adjusted scores to explain"), "parindex:campaigns")
PAR_SECOND = Kind("par-second", _("PAR Index: explanations to appraise again"), "parindex:campaigns")
FEEDBACK_ROUTE = Kind("feedback-route", _("Citizen feedback to route"), "surveys:campaigns")
FEEDBACK_HANDLE = Kind("feedback-handle", _("Citizen feedback to answer or publish"), "surveys:campaigns")
IMPORT_FAILED = Kind("import-failed", _("Imports that failed"), "onestop:dashboard")

KINDS = [
    TASK_DUE,
    REPORT_DUE,
    REPORT_APPROVE,
    REPORT_REVIEW,
    UPDATE_REVIEW,
    DEADLINE_DECIDE,
    FINDING_REMEDY,
    FINDING_VERIFY,
    PAR_SELF,
    PAR_SUBMIT,
    PAR_APPRAISE,
    PAR_EXPLAIN,
    PAR_SECOND,
    FEEDBACK_ROUTE,
    FEEDBACK_HANDLE,
    IMPORT_FAILED,
]


@dataclass(frozen=True)
class WorkItem:
    """One thing waiting for the user: what, for which unit, by when, and where it is done.

    `days_left` counts working days from today to `deadline` (0 on the day, negative once overdue);
    without a deadline, `waiting_days` counts the working days since `since` (when it reached the user).
    """

    kind: Kind
    title: str
    unit: str
    url: str
    deadline: datetime.date | None = None
    days_left: int | None = None
    since: datetime.date | None = None
    waiting_days: int | None = None
    detail: str = ""

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    @property
    def urgent(self) -> bool:
        """Three working days or less: shown in the warning colour."""
        return self.days_left is not None and 0 <= self.days_left <= 3

    def sort_key(self) -> tuple:
        # Dated work by working days left (overdue first); undated work after it, the longest waiting first.
        if self.days_left is not None:
            return (0, self.days_left, self.deadline, self.title)
        return (1, -(self.waiting_days or 0), self.title, self.url)


def days_left(deadline: datetime.date, today: datetime.date, calendar: WorkCalendar) -> int:
    """Working days after today up to the deadline (the deadline included); 0 on the deadline itself;
    minus the working days after the deadline up to today once it has passed."""
    if deadline > today:
        return working_days_between(today + ONE_DAY, deadline, calendar=calendar)
    if deadline == today:
        return 0
    return -working_days_between(deadline + ONE_DAY, today, calendar=calendar)


def waiting_days(since: datetime.date, today: datetime.date, calendar: WorkCalendar) -> int:
    """Working days after `since` up to today: 0 for what arrived today."""
    if since >= today:
        return 0
    return working_days_between(since + ONE_DAY, today, calendar=calendar)


def dated(
    kind: Kind,
    *,
    title: str,
    unit: str,
    url: str,
    deadline: datetime.date | None,
    today,
    calendar,
    since=None,
    detail: str = "",
) -> WorkItem:
    """A work item counted against its deadline, or (no deadline) against the day it arrived."""
    if deadline is not None:
        return WorkItem(
            kind,
            title,
            unit,
            url,
            deadline=deadline,
            days_left=days_left(deadline, today, calendar),
            detail=detail,
        )
    return waiting(
        kind, title=title, unit=unit, url=url, since=since, today=today, calendar=calendar, detail=detail
    )


def waiting(
    kind: Kind, *, title: str, unit: str, url: str, since, today, calendar, detail: str = ""
) -> WorkItem:
    """A work item with no deadline of its own, counted from the day it reached the user."""
    day = timezone.localtime(since).date() if isinstance(since, datetime.datetime) else since
    return WorkItem(
        kind,
        title,
        unit,
        url,
        since=day,
        waiting_days=waiting_days(day, today, calendar) if day is not None else None,
        detail=detail,
    )
