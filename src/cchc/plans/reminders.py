"""Deadline reminders for tasks: by e-mail to the lead unit's focal points, and in the interface.

Rules (see docs/plans.md):

* A task is reminded of while it is open: its plan is issued, it has a date (not "ongoing"), and it
  is neither done nor cancelled.
* E-mail goes out on working days only, when exactly 7, 3 or 1 working days remain before the
  deadline (counted by the working-day engine, so Tết and swapped days are skipped), and when the
  deadline has passed: on the first working day after it, then every fifth working day (a week of
  office days) until the task is done.
* Recipients are the active users holding the focal-point role on the task's lead unit itself.
* Every (day, task, step, user) sent is kept in the system setting `plans.reminders_sent`, so that
  running the command twice on one day sends nothing the second time.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from cchc.accounts.models import Role, RoleAssignment, User
from cchc.accounts.permissions import ENTER, scope_filter
from cchc.core.models import SystemSetting
from cchc.core.settings_store import get_setting, set_setting
from cchc.plans.models import DeadlineKind, PlanStatus, Task, TaskStatus
from cchc.workdays.calendar import add_working_days, is_working_day, working_days_between

DUE = "due"
OVERDUE = "overdue"
DAYS_BEFORE = (7, 3, 1)
OVERDUE_EVERY = 5  # working days between two reminders of an overdue task
PANEL_DAYS = 7  # the interface shows tasks with at most this many working days left
SENT_KEY = "plans.reminders_sent"
KEEP_DAYS = 10  # days of sent keys kept; only today's matter, the rest helps when re-running a date

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
        return f"{self.task.pk}:{self.kind}:{self.working_days}"


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


# -- e-mail ---------------------------------------------------------------------------------------


@dataclass
class Outgoing:
    """One e-mail to one person, listing every task they are reminded of today."""

    user: User
    reminders: list[Reminder]
    subject: str
    body: str
    status: str = "pending"  # "sent", "dry_run" or "no_email"


def _task_link(task: Task) -> str:
    # Links need the site's address, which only the installation knows (CCHC_SITE_URL).
    site = getattr(settings, "CCHC_SITE_URL", "")
    if not site:
        return ""
    try:
        return site.rstrip("/") + reverse("plans:task", args=[task.pk])
    except NoReverseMatch:
        return ""


def _line(reminder: Reminder) -> str:
    task = reminder.task
    deadline = f"{task.deadline:%d/%m/%Y}"
    if reminder.kind == DUE:
        when = f"Còn {reminder.working_days} ngày làm việc đến hạn {deadline}"
    else:
        when = f"Đã quá hạn {deadline} ({reminder.working_days} ngày làm việc)"
    plan = task.plan.number or task.plan.title
    line = f"- {when}: {task.text} (Kế hoạch {plan})"
    link = _task_link(task)
    return f"{line}\n  {link}" if link else line


def compose(user: User, reminders: list[Reminder]) -> Outgoing:
    """The e-mail in Vietnamese: it goes to officials, whatever language the site is shown in."""
    late = sum(1 for reminder in reminders if reminder.kind == OVERDUE)
    subject = f"[CCHC] Nhắc hạn {len(reminders)} nhiệm vụ"
    if late:
        subject += f", trong đó {late} nhiệm vụ đã quá hạn"
    units = sorted({reminder.task.lead_unit.name for reminder in reminders})
    body = "\n".join(
        [
            f"Kính gửi {user.full_name or user.username},",
            "",
            f"Hệ thống quản lý cải cách hành chính nhắc hạn các nhiệm vụ do {', '.join(units)} chủ trì:",
            "",
            *[_line(reminder) for reminder in reminders],
            "",
            "Đề nghị cập nhật tiến độ thực hiện trên hệ thống; nếu cần lùi hạn, gửi đề nghị kèm lý do.",
            "",
            "Thư này được gửi tự động, vui lòng không trả lời.",
        ]
    )
    return Outgoing(user, reminders, subject, body)


def _pruned(sent: dict[str, list[str]], today: datetime.date, keys: set[str]) -> dict[str, list[str]]:
    sent = {**sent, today.isoformat(): sorted(keys)}
    newest = sorted(sent, reverse=True)[:KEEP_DAYS]
    return {day: sent[day] for day in sorted(newest)}


@transaction.atomic
def send_reminders(today: datetime.date, dry_run: bool = False) -> list[Outgoing]:
    """E-mail today's reminders, one message per person; what was sent before today is not resent."""
    # Lock the record of sent reminders so that two runs at once cannot both send (PostgreSQL).
    list(SystemSetting.objects.select_for_update().filter(key=SENT_KEY))
    sent: dict[str, list[str]] = get_setting(SENT_KEY) or {}
    already = set(sent.get(today.isoformat(), []))
    per_user: dict[int, tuple[User, list[Reminder]]] = {}
    for reminder in due_reminders(today):
        for user in reminder.recipients:
            if f"{reminder.key}:{user.pk}" not in already:
                per_user.setdefault(user.pk, (user, []))[1].append(reminder)
    outgoing = [compose(user, reminders) for user, reminders in per_user.values()]
    for mail in outgoing:
        mail.status = "no_email" if not mail.user.email else ("dry_run" if dry_run else "sent")
    to_send = [mail for mail in outgoing if mail.status == "sent"]
    if to_send:
        send_mass_mail(
            [(mail.subject, mail.body, None, [mail.user.email]) for mail in to_send], fail_silently=False
        )
        keys = already | {f"{r.key}:{mail.user.pk}" for mail in to_send for r in mail.reminders}
        set_setting(actor=None, key=SENT_KEY, value=_pruned(sent, today, keys))
    return outgoing
