"""The notification centre: a person's own notifications, marking them read, their e-mail choice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.kit.views import paginate, submit_form
from cchc.notifications import services
from cchc.notifications.forms import PreferenceForm
from cchc.notifications.models import EmailChoice, Notification
from cchc.notifications.registry import kind_label


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    mine = Notification.objects.for_user(request.user)
    # Unread first, then the newest.
    ordered = mine.select_related("unit").order_by(F("read_at").desc(nulls_first=True), "-created", "-id")
    page, query = paginate(request, ordered)
    for notification in page:
        notification.kind_label = kind_label(notification.kind)
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "query": query,
            "unread": mine.unread().count(),
            "email_choice": EmailChoice(services.email_choice(request.user)).label,
        },
    )


def _back(request: HttpRequest) -> HttpResponse:
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read; with `open`, go on to the page it is about."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    notification = services.mark_read(actor=request.user, notification=notification)
    target = notification.link
    if request.POST.get("open") and target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    if request.htmx:
        notification.kind_label = kind_label(notification.kind)
        return render(request, "notifications/_item.html", {"notification": notification})
    return _back(request)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return _back(request)


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        done, _result = submit_form(
            request,
            form,
            lambda data: services.set_email_choice(actor=request.user, email=data["email"]),
            success=_("Your choice of e-mail is saved."),
        )
        if done:
            return _back(request)
    else:
        form = PreferenceForm(initial={"email": services.email_choice(request.user)})
    return render(request, "notifications/preferences.html", {"form": form})
