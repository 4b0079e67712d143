"""The one-page brief ("Báo cáo nhanh"): ask for one, follow it, download it; and the schedules that
e-mail it (docs/brief.md).

Who sees what: a brief is seen by who asked for it, a schedule's brief by those who keep the unit's
schedules, and by them only while they may view the unit (`_brief`);
schedules are kept by those who plan for the unit (the reform office), others get 403 or 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.core import scoping
from cchc.kit import downloads
from cchc.kit.views import run_service
from cchc.units.models import Unit
from cchc.web.brief import schedule, services
from cchc.web.brief.forms import BriefRequestForm, SubscriptionForm
from cchc.web.models import Brief, BriefDelivery, BriefSubscription

RECENT = 10
FORMATS = {"docx": downloads.DOCX, "pdf": downloads.PDF}


def _units(user, action: str = scoping.VIEW):
    return Unit.objects.for_user(user, action).active_on(timezone.localdate()).order_by("path")


def _initial(request, units, today) -> dict:
    """What the overview's button passes (?unit=…&period=…), else the user's top unit and last month."""
    unit = units.filter(pk=request.GET.get("unit")).first() if request.GET.get("unit", "").isdigit() else None
    last_month = schedule.period_before("last_month", today).key
    return {"unit": unit or units.first(), "period": request.GET.get("period") or last_month}


@login_required
def brief_page(request):
    today = timezone.localdate()
    units = _units(request.user)
    if request.method == "POST":
        form = BriefRequestForm(request.POST, units=units, today=today)
        if form.is_valid():
            try:
                period = services.parse_period(form.cleaned_data["period"], today)
            except ValidationError as error:
                form.add_error("period", error)
            else:
                done, brief = run_service(
                    request,
                    lambda: services.request_brief(
                        actor=request.user, unit=form.cleaned_data["unit"], period=period
                    ),
                    form=form,
                )
                if done:
                    return redirect("web:brief-detail", brief.pk)
    else:
        form = BriefRequestForm(initial=_initial(request, units, today), units=units, today=today)
    context = {
        "form": form,
        "briefs": Brief.objects.for_user(request.user)
        .filter(created_by=request.user)
        .select_related("unit")[:RECENT],
        "may_schedule": scoping.has_any_permission(request.user, scoping.PLAN),
    }
    return render(request, "web/brief.html", context)


def _brief(user, pk: int) -> Brief:
    """A brief shows the overview as the person who asked for it saw it (their plans and campaigns,
    drafts included), so it is opened by that person only; a schedule's brief, written as its keeper
    sees the unit, by those who keep the unit's schedules. Both must still see the unit."""
    mine = Q(created_by=user) | Q(created_by__isnull=True, unit__in=Unit.objects.for_user(user, scoping.PLAN))
    return get_object_or_404(Brief.objects.for_user(user).filter(mine).select_related("unit"), pk=pk)


@login_required
def brief_detail(request, pk: int):
    """The brief's state; while it is being written, the status block asks again every few seconds
    (htmx) and the page shows the downloads once it is ready."""
    brief = _brief(request.user, pk)
    template = "web/brief_status.html" if request.htmx else "web/brief_detail.html"
    return render(request, template, {"brief": brief})


@login_required
def brief_download(request, pk: int, kind: str):
    if kind not in FORMATS:
        raise Http404
    brief = _brief(request.user, pk)
    return downloads.stored_file(
        getattr(brief, kind), services.download_name(brief, kind), content_type=FORMATS[kind]
    )


# --- schedules -----------------------------------------------------------------------------------


def _require_planner(user) -> None:
    if not scoping.has_any_permission(user, scoping.PLAN):
        raise PermissionDenied


@login_required
def schedule_list(request):
    _require_planner(request.user)
    subscriptions = (
        BriefSubscription.objects.for_user(request.user, scoping.PLAN)
        .select_related("unit")
        .prefetch_related("users")
    )
    deliveries = (
        BriefDelivery.objects.for_user(request.user, scoping.PLAN)
        .select_related("subscription__unit")
        .order_by("-on_date", "-pk")[:RECENT]
    )
    context = {
        "subscriptions": subscriptions,
        "deliveries": deliveries,
        "units": _units(request.user, scoping.PLAN),
    }
    return render(request, "web/brief_schedules.html", context)


def _subscription_data(subscription: BriefSubscription) -> dict:
    return {
        "period_kind": subscription.period_kind,
        "rhythm": "weekly" if subscription.weekday is not None else "monthly",
        "weekday": subscription.weekday,
        "day_of_month": subscription.day_of_month,
        "users": list(subscription.users.all()),
        "emails": subscription.emails,
        "active": subscription.active,
    }


def _save_schedule(request, form, change) -> bool:
    if not form.is_valid():
        return False
    done, _result = run_service(
        request, lambda: change(form.service_data()), success=_("The schedule is saved."), form=form
    )
    return done


@login_required
def schedule_new(request):
    _require_planner(request.user)
    raw = request.GET.get("unit", "")
    if not raw.isdigit():
        messages.warning(request, _("Choose the unit whose brief is to be sent."))
        return redirect("web:brief-schedules")
    unit = get_object_or_404(_units(request.user, scoping.PLAN), pk=raw)
    recipients = services.recipients_who_may_view(unit)
    form = SubscriptionForm(request.POST or None, recipients=recipients, initial={"rhythm": "monthly"})
    if request.method == "POST" and _save_schedule(
        request,
        form,
        lambda data: services.create_subscription(actor=request.user, unit=unit, data=data),
    ):
        return redirect("web:brief-schedules")
    return render(request, "web/brief_schedule_form.html", {"form": form, "unit": unit, "subscription": None})


@login_required
def schedule_edit(request, pk: int):
    _require_planner(request.user)
    subscription = get_object_or_404(
        BriefSubscription.objects.for_user(request.user, scoping.PLAN).select_related("unit"), pk=pk
    )
    recipients = services.recipients_who_may_view(subscription.unit)
    form = SubscriptionForm(
        request.POST or None, recipients=recipients, initial=_subscription_data(subscription)
    )
    if request.method == "POST" and _save_schedule(
        request,
        form,
        lambda data: services.update_subscription(actor=request.user, subscription=subscription, data=data),
    ):
        return redirect("web:brief-schedules")
    context = {"form": form, "unit": subscription.unit, "subscription": subscription}
    return render(request, "web/brief_schedule_form.html", context)


@login_required
@require_POST
def schedule_delete(request, pk: int):
    _require_planner(request.user)
    subscription = get_object_or_404(BriefSubscription.objects.for_user(request.user, scoping.PLAN), pk=pk)
    services.delete_subscription(actor=request.user, subscription=subscription)
    messages.success(request, _("The schedule is deleted."))
    return redirect("web:brief-schedules")
