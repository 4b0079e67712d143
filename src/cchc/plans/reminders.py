"""Deadline reminders for tasks: as notifications to the lead unit's focal points, and in the interface.

Rules (see docs/plans.md):

* A task is reminded of while it is open: its plan is issued, it has a date (not "ongoing"), and it
  is neither done nor cancelled.
* A reminder notification is made on working days only, when exactly 7, 3 or 1 working days remain before the
  deadline (counted by the working-day engine, so Tết and swapped days are skipped), and when the
  deadline has passed: on the first working day after it, then every fifth working day (a week of
  office days) until the task is done.
* Recipients are the active users holding the focal-point role on the task's lead unit itself.
* Each reminder is a notification (cchc.notifications) whose key names the task, its deadline and the
  step, so running the daily command twice creates nothing the second time; the e-mail follows each
  person's choice (at once or in the daily digest), sent by the notifications app, never from here.
"""

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from cchc.accounts.models import Role, RoleAssignment, User
from cchc.accounts.permissions import ENTER, scope_filter
from cchc.notifications import services as notification_services
from cchc.notifications import steps
from cchc.notifications.models import Notification
from cchc.notifications.registry import Event
from cchc.plans.models import DeadlineKind, PlanStatus, Task, TaskStatus
from cchc.workdays.calendar import add_working_days, is_working_day, working_days_between

DUE = "due"
OVERDUE = "overdue"
DAYS_BEFORE = (7, 3, 1)
OVERDUE_EVERY = 5  # working days between two reminders of an overdue task
PANEL_DAYS = 7  # the interface shows tasks with at most this many working days left
TASK_DEADLINE = "task_deadline"  # the notification kind, labelled in notify_rules

# Calendar-day steps only (the day after a date); working days are always counted by the engine.
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Reminder:
    """A task to remind of: `working_days` left before the deadline (DUE) or past it (OVERDUE)."""

    task: Task
    kind: str
    working_days: int
    recipients: tuple[User, ...] = field(default=(), compare=False)

    @property
    def key(self) -> str:
        """The notification's event key: the task, its deadline (a moved deadline starts afresh), the step."""
        deadline = self.task.deadline.isoformat() if self.task.deadline else "-"
        return f"plans.task:{self.task.pk}:{deadline}:{self.kind}:{self.working_days}"


def working_days_left(deadline: datetime.date, today: datetime.date) -> int:
    """Working days after today up to the deadline, the deadline included; 0 from the deadline on."""
    if deadline <= today:
        return 0
    return working_days_between(today + ONE_DAY, deadline)


def working_days_late(deadline: datetime.date, today: datetime.date) -> int:
    """Working days after the deadline up to today, today included; 0 until the deadline has passed."""
    if today <= deadline:
        return 0
    return working_days_between(deadline + ONE_DAY, today)


def open_tasks():
    return (
        Task.objects.filter(plan__status=PlanStatus.ISSUED, deadline__isnull=False)
        .exclude(deadline_kind=DeadlineKind.RECURRING)
        .exclude(status__in=[TaskStatus.DONE, TaskStatus.CANCELLED])
        .select_related("plan", "lead_unit")
        .order_by("deadline", "pk")
    )


def _reminder_on(task: Task, today: datetime.date) -> Reminder:
    deadline = task.deadline
    assert deadline is not None  # open_tasks() only returns tasks with a deadline
    if deadline < today:
        return Reminder(task, OVERDUE, working_days_late(deadline, today))
    return Reminder(task, DUE, working_days_left(deadline, today))


def _is_e_mail_day(reminder: Reminder) -> bool:
    if reminder.kind == DUE:
        return reminder.working_days in DAYS_BEFORE
    return reminder.working_days >= 1 and (reminder.working_days - 1) % OVERDUE_EVERY == 0


def due_reminders(today: datetime.date) -> list[Reminder]:
    """The reminders to e-mail on `today`, each with the focal points of the task's lead unit."""
    if not is_working_day(today):
        return []
    # A deadline before the 8th working day after today has at most 7 working days left: the
    # candidates are those and the overdue tasks; each is then checked against the steps.
    horizon = add_working_days(today, max(DAYS_BEFORE) + 1)
    candidates = [_reminder_on(task, today) for task in open_tasks().filter(deadline__lt=horizon)]
    chosen = [reminder for reminder in candidates if _is_e_mail_day(reminder)]
    focal_points: dict[int, list[User]] = {}
    assignments = RoleAssignment.objects.filter(
        role=Role.FOCAL_POINT,
        unit_id__in={reminder.task.lead_unit_id for reminder in chosen},
        user__is_active=True,
    ).select_related("user")
    for assignment in assignments.order_by("user__username"):
        focal_points.setdefault(assignment.unit_id, []).append(assignment.user)
    return [
        Reminder(r.task, r.kind, r.working_days, tuple(focal_points.get(r.task.lead_unit_id, [])))
        for r in chosen
    ]


def reminders_for(user, today: datetime.date, plan=None) -> list[Reminder]:
    """What the interface shows `user`: open tasks they may report on that are overdue or due within
    PANEL_DAYS working days, the most urgent first. `plan` limits it to one plan."""
    horizon = add_working_days(today, PANEL_DAYS + 1)
    tasks = (
        open_tasks().for_user(user).filter(scope_filter(user, ENTER, "lead_unit__path"), deadline__lt=horizon)
    )
    if plan is not None:
        tasks = tasks.filter(plan=plan)
    return [_reminder_on(task, today) for task in tasks]


# -- notifications ---------------------------------------------------------------------------------


def title(reminder: Reminder) -> str:
    task = reminder.task
    assert task.deadline is not None  # open_tasks() only returns tasks with a deadline
    return f"{steps.step_words((reminder.kind, reminder.working_days), task.deadline)}: {task.text}"


def event(reminder: Reminder) -> Event:
    task = reminder.task
    body = _(
        "Plan %(plan)s, led by %(unit)s. Update the progress; if the deadline must move, "
        "request the change with its reason."
    ) % {"plan": task.plan.number or task.plan.title, "unit": task.lead_unit.name}
    return Event(
        key=reminder.key,
        kind=TASK_DEADLINE,
        title=title(reminder),
        recipients=reminder.recipients,
        body=body,
        link=reverse("plans:task", args=[task.pk]),
        unit=task.lead_unit,
    )


def reminder_events(today: datetime.date) -> list[Event]:
    """Today's task reminders as notification events (the daily command's source for tasks)."""
    return [event(reminder) for reminder in due_reminders(today) if reminder.recipients]


def send_reminders(today: datetime.date, dry_run: bool = False) -> list[Notification]:
    """Make today's task reminders into notifications and send the immediate e-mails; digests follow
    in the daily run. A dry run creates nothing and returns the notifications it would create."""
    events = reminder_events(today)
    if dry_run:
        existing = set(
            Notification.objects.filter(event_key__in=[e.key for e in events]).values_list(
                "recipient_id", "event_key"
            )
        )
        return [
            Notification(recipient=person, kind=e.kind, title=e.title, event_key=e.key, link=e.link)
            for e in events
            for person in e.recipients
            if (person.pk, e.key) not in existing
        ]
    created = notification_services.deliver(events)
    notification_services.send_immediate()
    return created
