"""Every change to briefs and their schedules: ask for a brief, write it (the background task), keep
schedules, and send the briefs that are due.

- `request_brief` records the brief and queues `generate_brief` once the row is committed (the
  worker reads it from the database); the task writes the DOCX and the PDF on the brief.
- `send_scheduled(day)` is what the daily command runs: for each active schedule due that day it
  first takes the (schedule, day) delivery row, so a second run the same day finds it taken and sends
  nothing; then writes the brief and e-mails both files. A delivery that failed is tried again by the
  next run of the same day, never one that was sent.
"""

import datetime
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tasks import task

from cchc.core import audit, scoping
from cchc.core.periods import Period, period_label
from cchc.kit import downloads
from cchc.units.models import Unit
from cchc.web.brief import as_docx, as_pdf, schedule
from cchc.web.brief.content import BriefContent
from cchc.web.models import (
    Brief,
    BriefDelivery,
    BriefStatus,
    BriefSubscription,
    DeliveryStatus,
    PeriodKind,
)

logger = logging.getLogger(__name__)

SUBSCRIPTION_FIELDS = ["unit", "period_kind", "weekday", "day_of_month", "emails", "active", "keeper"]


# --- asking for a brief ---------------------------------------------------------------------------


def parse_period(text: str, today: datetime.date) -> Period:
    """The period a brief is asked for; a period that is no period, or has not begun, is refused in
    words the user can act on."""
    try:
        period = Period.parse(text or "")
    except ValueError as error:
        raise ValidationError(
            _("“%(value)s” is not a period: choose a month, a quarter, six or nine months, or a year.")
            % {"value": (text or "")[:40]},
            code="period",
        ) from error
    if period.start > today:
        raise ValidationError(
            _("%(period)s has not begun yet: choose a period that has started.") % {"period": period.label},
            code="period",
        )
    return period


@transaction.atomic
def request_brief(*, actor: Any, unit: Unit, period: Period) -> Brief:
    """Record a brief of `unit` for `period` and queue its writing; the actor must see the unit."""
    scoping.require(actor, scoping.VIEW, unit)
    brief = Brief.objects.create(unit=unit, period=period.key, created_by=audit.signed_in(actor))
    audit.record(actor=actor, action="brief.request", obj=brief, unit=unit, after={"period": period.key})
    transaction.on_commit(lambda: generate_brief.enqueue(brief.pk))
    return brief


@task()
def generate_brief(brief_id: int) -> None:
    """The background task: write the brief's files (see `write_brief`)."""
    brief = Brief.objects.select_related("unit", "created_by").filter(pk=brief_id).first()
    if brief is None or brief.is_finished:  # deleted, or a retried task of a brief already written
        return
    write_brief(brief, reader=brief.created_by)


def write_brief(brief: Brief, *, reader: Any) -> Brief:
    """Build the overview of the brief's unit and period as `reader` sees it (who asked for it; for a
    schedule, the person who keeps it) and store both files. A failure is kept on the brief with a
    message; it never leaves the brief "being prepared"."""
    Brief.objects.filter(pk=brief.pk).update(status=BriefStatus.RUNNING)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            # Nobody to read as (a schedule whose keeper was removed), or a reader who lost the
            # unit since: the brief would show what nobody asked for.
            if reader is None or not scoping.has_unit_permission(reader, scoping.VIEW, brief.unit):
                raise PermissionDenied(
                    _("Nobody who may see %(unit)s asked for this brief: save the schedule again.")
                    % {"unit": brief.unit.name}
                )
            content = brief_content(reader, brief.unit, Period.parse(brief.period))
            docx_bytes, pdf_bytes = as_docx.render(content), as_pdf.render(content)
        except PermissionDenied as error:
            return _failed(brief, str(error))
        except Exception:
            logger.exception("Brief %s could not be written", brief.pk)
            return _failed(
                brief, _("The brief could not be prepared. Try again later or tell the administrator.")
            )
    name = file_stem(brief)
    with transaction.atomic():
        brief.docx.save(f"{name}.docx", ContentFile(docx_bytes), save=False)
        brief.pdf.save(f"{name}.pdf", ContentFile(pdf_bytes), save=False)
        brief.status, brief.finished_at, brief.message = BriefStatus.DONE, timezone.now(), ""
        brief.save(update_fields=["docx", "pdf", "status", "finished_at", "message"])
        audit.record(actor=None, action="brief.write", obj=brief, unit=brief.unit)
    return brief


def _failed(brief: Brief, message: str) -> Brief:
    with transaction.atomic():
        brief.status, brief.finished_at, brief.message = BriefStatus.FAILED, timezone.now(), message
        brief.save(update_fields=["status", "finished_at", "message"])
        audit.record(actor=None, action="brief.fail", obj=brief, unit=brief.unit, after={"message": message})
    return brief


def brief_content(user: Any, unit: Unit, period: Period) -> BriefContent:
    """The overview of `unit` for `period` as `user` sees it, formatted for printing."""
    # Imported here so that the web app's models load without the overview's imports (domain apps).
    from cchc.web.brief.from_overview import content_from_overview
    from cchc.web.overview.data import build_overview

    today = timezone.localdate()
    return content_from_overview(build_overview(user, unit, period, today), today)


def file_stem(brief: Brief) -> str:
    """ "bao-cao-nhanh-so-noi-vu-2026-10": readable, ASCII, the same for the DOCX and the PDF."""
    return f"bao-cao-nhanh-{slugify(brief.unit.name.replace('đ', 'd').replace('Đ', 'D'))}-{brief.period}"


def download_name(brief: Brief, extension: str) -> str:
    """The name a person sees when the file is downloaded or attached."""
    return f"Báo cáo nhanh – {brief.unit.name} – {period_label(brief.period).replace('/', '-')}.{extension}"


# --- schedules -----------------------------------------------------------------------------------


def _clean_subscription(unit: Unit, data: dict[str, Any]) -> dict[str, Any]:
    """Check a schedule's fields; every problem is refused with a message and nothing is saved."""
    errors: dict[str, list[str]] = {}
    if data.get("period_kind") not in PeriodKind.values:
        errors["period_kind"] = [_("Choose which period the brief covers.")]
    weekday, day = data.get("weekday"), data.get("day_of_month")
    if (weekday is None) == (day is None):
        errors["weekday"] = [_("Choose either a day of the week or a day of the month, not both.")]
    elif weekday is not None and not 0 <= int(weekday) <= 6:
        errors["weekday"] = [_("Choose a day of the week.")]
    elif day is not None and not 1 <= int(day) <= 31:
        errors["day_of_month"] = [_("The day of the month is a number from 1 to 31.")]
    addresses = [line.strip() for line in (data.get("emails") or "").splitlines() if line.strip()]
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            errors.setdefault("emails", []).append(
                _("“%(value)s” is not an e-mail address.") % {"value": address[:80]}
            )
    users = list(data.get("users") or [])
    viewers = set(recipients_who_may_view(unit).values_list("pk", flat=True))
    outsiders = [user for user in users if user.pk not in viewers]
    if outsiders:
        errors["users"] = [
            _("%(names)s may not see this unit's data: add them by e-mail address if they should receive it.")
            % {"names": ", ".join(user.full_name or user.username for user in outsiders)}
        ]
    if not users and not addresses:
        errors["users"] = [*errors.get("users", []), _("Choose at least one recipient.")]
    if errors:
        raise ValidationError(errors)
    return {
        "period_kind": data["period_kind"],
        "weekday": None if weekday is None else int(weekday),
        "day_of_month": None if day is None else int(day),
        "emails": "\n".join(addresses),
        "active": bool(data.get("active", True)),
        "users": users,
    }


def recipients_who_may_view(unit: Unit):
    """Active users with an e-mail address who hold a role on the unit or on a unit above it: those a
    schedule may send the unit's brief to by name."""
    return (
        get_user_model()
        .objects.filter(is_active=True, role_assignments__unit__path__in=unit.ancestor_paths())
        .exclude(email="")
        .distinct()
        .order_by("full_name", "username")
    )


def _subscription_snapshot(subscription: BriefSubscription) -> dict[str, Any]:
    values = audit.snapshot(subscription, SUBSCRIPTION_FIELDS)
    values["users"] = sorted(subscription.users.values_list("pk", flat=True))
    return values


@transaction.atomic
def create_subscription(*, actor: Any, unit: Unit, data: dict[str, Any]) -> BriefSubscription:
    """A new schedule for `unit`; the actor must plan for the unit (the reform office)."""
    scoping.require(actor, scoping.PLAN, unit)
    cleaned = _clean_subscription(unit, data)
    users = cleaned.pop("users")
    subscription = BriefSubscription.objects.create(unit=unit, keeper=audit.signed_in(actor), **cleaned)
    subscription.users.set(users)
    audit.record(
        actor=actor,
        action="brief_subscription.create",
        obj=subscription,
        unit=unit,
        after=_subscription_snapshot(subscription),
    )
    return subscription


@transaction.atomic
def update_subscription(
    *, actor: Any, subscription: BriefSubscription, data: dict[str, Any]
) -> BriefSubscription:
    scoping.require(actor, scoping.PLAN, subscription.unit)
    cleaned = _clean_subscription(subscription.unit, data)
    before = _subscription_snapshot(subscription)
    users = cleaned.pop("users")
    for name, value in cleaned.items():
        setattr(subscription, name, value)
    subscription.keeper = audit.signed_in(actor) or subscription.keeper
    subscription.save()
    subscription.users.set(users)
    after = _subscription_snapshot(subscription)
    changed = [key for key in after if before.get(key) != after[key]]
    if changed:
        audit.record(
            actor=actor,
            action="brief_subscription.update",
            obj=subscription,
            unit=subscription.unit,
            before={key: before[key] for key in changed},
            after={key: after[key] for key in changed},
        )
    return subscription


@transaction.atomic
def delete_subscription(*, actor: Any, subscription: BriefSubscription) -> None:
    scoping.require(actor, scoping.PLAN, subscription.unit)
    audit.record(
        actor=actor,
        action="brief_subscription.delete",
        obj=subscription,
        unit=subscription.unit,
        before=_subscription_snapshot(subscription),
    )
    subscription.delete()


# --- sending what is due -------------------------------------------------------------------------


def send_scheduled(day: datetime.date) -> list[BriefDelivery]:
    """Send every brief due on `day` that has not been sent that day; returns the deliveries tried."""
    tried = []
    subscriptions = BriefSubscription.objects.filter(active=True).select_related("unit").order_by("pk")
    for subscription in subscriptions:
        if not schedule.is_due(subscription, day):
            continue
        delivery = _claim(subscription, day)
        if delivery is not None:
            tried.append(_deliver(delivery))
    return tried


def _claim(subscription: BriefSubscription, day: datetime.date) -> BriefDelivery | None:
    """The delivery row for (schedule, day), taken by this run; None when another run sent it or is
    sending it. Taking it is one statement that only one run can win (a unique row, or a failed row
    moved back to "sending")."""
    try:
        with transaction.atomic():
            return BriefDelivery.objects.create(subscription=subscription, on_date=day)
    except IntegrityError:
        pass
    retried = BriefDelivery.objects.filter(
        subscription=subscription, on_date=day, status=DeliveryStatus.FAILED
    ).update(status=DeliveryStatus.SENDING, message="")
    if retried:
        return BriefDelivery.objects.get(subscription=subscription, on_date=day)
    return None


def _deliver(delivery: BriefDelivery) -> BriefDelivery:
    subscription = delivery.subscription
    period = schedule.period_before(subscription.period_kind, delivery.on_date)
    with transaction.atomic():
        brief = Brief.objects.create(unit=subscription.unit, period=period.key)
        audit.record(
            actor=None,
            action="brief.request",
            obj=brief,
            unit=subscription.unit,
            after={"period": period.key},
        )
    brief = write_brief(brief, reader=subscription.keeper)
    addresses = _addresses(subscription)
    delivery.brief, delivery.recipients = brief, "\n".join(addresses)
    try:
        if brief.status != BriefStatus.DONE:
            raise RuntimeError(brief.message)
        if not addresses:
            raise RuntimeError(_("The schedule has no recipient with an e-mail address."))
        _email(brief, addresses)
    except Exception as error:
        logger.exception("Brief schedule %s: not sent on %s", subscription.pk, delivery.on_date)
        delivery.status, delivery.message = DeliveryStatus.FAILED, str(error)[:500]
    else:
        delivery.status, delivery.sent_at = DeliveryStatus.SENT, timezone.now()
    with transaction.atomic():
        delivery.save(update_fields=["brief", "recipients", "status", "message", "sent_at"])
        audit.record(
            actor=None,
            action=f"brief_delivery.{delivery.status}",
            obj=delivery,
            unit=subscription.unit,
            after={"status": delivery.status},
        )
    return delivery


def _addresses(subscription: BriefSubscription) -> list[str]:
    # A named recipient who has since lost every role on the unit and above gets nothing: they were
    # chosen as one of the unit's people (the extra addresses are the reform office's own choice).
    may_view = recipients_who_may_view(subscription.unit).values("pk")
    named = [user.email for user in subscription.users.filter(pk__in=may_view)]
    seen: dict[str, None] = {}
    for address in [*named, *subscription.addresses()]:
        seen.setdefault(address.lower(), None)
    return list(seen)


def _email(brief: Brief, addresses: list[str]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        label = period_label(brief.period)
        subject = _("Brief: %(unit)s – %(period)s") % {"unit": brief.unit.name, "period": label}
        body = _(
            "The one-page brief of %(unit)s for %(period)s is attached as Word and PDF files.\n\n"
            "You receive it because the reform office added you to its schedule."
        ) % {"unit": brief.unit.name, "period": label}
        message = EmailMessage(subject=subject, body=body, to=[], bcc=addresses)
        for field, extension, content_type in (
            (brief.docx, "docx", downloads.DOCX),
            (brief.pdf, "pdf", downloads.PDF),
        ):
            with field.open("rb") as handle:
                message.attach(download_name(brief, extension), handle.read(), content_type)
    message.send(fail_silently=False)
