"""The webhook pages, for those who administer units: subscriptions, their secret, their delivery log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.accounts.permissions import ADMINISTER, has_any_permission
from cchc.kit.views import paginate, run_service
from cchc.webhooks import services
from cchc.webhooks.forms import SubscriptionForm
from cchc.webhooks.models import DeliveryState, WebhookDelivery, WebhookSubscription


def _managed(request: HttpRequest, pk: int) -> WebhookSubscription:
    """A subscription the user administers; any other is not found (a 404 says nothing of it)."""
    return get_object_or_404(
        WebhookSubscription.objects.for_user(request.user, ADMINISTER).select_related("unit"), pk=pk
    )


@login_required
def subscription_list(request: HttpRequest) -> HttpResponse:
    subscriptions = WebhookSubscription.objects.for_user(request.user, ADMINISTER).select_related("unit")
    return render(
        request,
        "webhooks/list.html",
        {"subscriptions": subscriptions, "may_add": has_any_permission(request.user, ADMINISTER)},
    )


def _secret_page(request: HttpRequest, subscription: WebhookSubscription, new: bool) -> HttpResponse:
    # Answered to a POST and never cached: the secret is not left in a link or a browser's history.
    response = render(request, "webhooks/secret.html", {"subscription": subscription, "new": new})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def subscription_create(request: HttpRequest) -> HttpResponse:
    if not has_any_permission(request.user, ADMINISTER):
        raise PermissionDenied
    form = SubscriptionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, subscription = run_service(
            request,
            lambda: services.create_subscription(actor=request.user, unit=data["unit"], data=data),
            form=form,
            success=_("The subscription is saved."),
        )
        if done:
            return _secret_page(request, subscription, new=True)
    return render(request, "webhooks/form.html", {"form": form, "subscription": None})


@login_required
def subscription_edit(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _managed(request, pk)
    initial = {
        "name": subscription.name,
        "url": subscription.url,
        "event_types": subscription.event_types,
        "active": subscription.active,
    }
    form = SubscriptionForm(request.POST or None, user=request.user, with_unit=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        done, _result = run_service(
            request,
            lambda: services.update_subscription(
                actor=request.user, subscription=subscription, data=form.cleaned_data
            ),
            form=form,
            success=_("The subscription is saved."),
        )
        if done:
            return redirect("webhooks:list")
    return render(request, "webhooks/form.html", {"form": form, "subscription": subscription})


@login_required
@require_POST
def subscription_delete(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _managed(request, pk)
    services.delete_subscription(actor=request.user, subscription=subscription)
    messages.success(request, _("The subscription is deleted."))
    return redirect("webhooks:list")


@login_required
@require_POST
def subscription_secret(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the secret to a manager who asks for it (a button, so never through a plain link)."""
    subscription = services.reveal_secret(actor=request.user, subscription=_managed(request, pk))
    return _secret_page(request, subscription, new=False)


@login_required
@require_POST
def subscription_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = services.rotate_secret(actor=request.user, subscription=_managed(request, pk))
    messages.success(request, _("A new secret is made; the old one no longer signs."))
    return _secret_page(request, subscription, new=True)


@login_required
def delivery_log(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _managed(request, pk)
    deliveries = subscription.deliveries.prefetch_related("attempt_log")
    page, query = paginate(request, deliveries)
    return render(
        request,
        "webhooks/deliveries.html",
        {"subscription": subscription, "page": page, "query": query, "failed": DeliveryState.FAILED},
    )


@login_required
@require_POST
def delivery_resend(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(
        WebhookDelivery.objects.for_user(request.user, ADMINISTER).select_related("subscription"), pk=pk
    )
    run_service(
        request,
        lambda: services.resend_delivery(actor=request.user, delivery=delivery),
        success=_("The delivery will be sent again."),
    )
    return redirect("webhooks:deliveries", pk=delivery.subscription_id)
