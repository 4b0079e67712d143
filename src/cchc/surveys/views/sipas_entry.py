"""SIPAS pages of the units' staff: public links and QR codes, invitation codes, paper and phone entry,
and the reform office's import of answers from a spreadsheet.

A unit's staff (ENTER on the unit) print its link and QR code, create invitation codes and type in paper
forms and phone interviews for it; the reform office may do so for every surveyed unit. The QR code of a
unit is shown to whoever may view that unit. Imports need PLAN on the organiser and take only rows of
the campaign whose page they are sent from. Every change goes through the services.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.accounts.permissions import ENTER, PLAN, VIEW, has_unit_permission
from cchc.kit.views import attach_errors, form_errors_as_text, run_service
from cchc.surveys import qr
from cchc.surveys.forms.sipas import InvitationsForm, ResponseEntryForm, ResponsesUploadForm
from cchc.surveys.models import CampaignStatus, SurveyCampaign, UnitQuota
from cchc.surveys.queries import sipas as queries
from cchc.surveys.services import sipas
from cchc.surveys.services.common import ImportRefused
from cchc.surveys.services.imports import import_responses
from cchc.surveys.services.sipas import OPTIONAL_RESPONSE_COLUMNS, RESPONSE_COLUMNS
from cchc.surveys.views.sipas import campaign_in_view


def public_link(request: HttpRequest, token: str) -> str:
    """The absolute address of a unit's public survey form (built by hand until its page exists)."""
    try:
        path = reverse("public:survey", args=[token])
    except NoReverseMatch:
        path = f"/khao-sat/{token}/"
    return request.build_absolute_uri(path)


def _entering(request: HttpRequest, pk: int) -> tuple[SurveyCampaign, list[UnitQuota]]:
    campaign = campaign_in_view(request.user, pk)
    quotas = queries.quotas_for(request.user, campaign, ENTER)
    if not quotas:
        raise PermissionDenied(_("You enter answers for none of the units surveyed."))
    return campaign, quotas


# -- links, QR codes and invitation codes ---------------------------------------------------------


@login_required
@require_GET
def campaign_links(request: HttpRequest, pk: int) -> HttpResponse:
    campaign, quotas = _entering(request, pk)
    everyone = quotas
    chosen = request.GET.get("unit", "").strip()
    if chosen:
        quotas = [quota for quota in quotas if str(quota.unit_id) == chosen] or quotas
    unused, used = queries.invitation_codes(request.user, campaign, [quota.unit for quota in quotas])
    cards = [
        {
            "quota": quota,
            "unit": quota.unit,
            "link": public_link(request, quota.link_token),
            "qr_url": reverse("surveys:qr-code", args=[campaign.pk, quota.unit_id]),
            "unused": unused.get(quota.unit_id, []),
            "used": used.get(quota.unit_id, 0),
        }
        for quota in quotas
    ]
    context = {
        "campaign": campaign,
        "cards": cards,
        "all_units": [quota.unit for quota in everyone],
        "chosen": chosen if len(quotas) == 1 and len(everyone) > 1 else "",
        "form": InvitationsForm(
            units=[quota.unit for quota in everyone],
            initial={"unit": quotas[0].unit_id if len(quotas) == 1 else None},
        ),
        "open": campaign.status == CampaignStatus.OPEN,
    }
    return render(request, "surveys/sipas/links.html", context)


@login_required
@require_GET
def qr_code(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    campaign = campaign_in_view(request.user, pk)
    # The QR code of a unit is shown to whoever may view that unit.
    visible = UnitQuota.objects.for_user(request.user, VIEW).select_related("unit")
    quota = get_object_or_404(visible, campaign=campaign, unit_id=unit_pk)
    content = qr.svg(public_link(request, quota.link_token), title=quota.unit.name)
    response = HttpResponse(content, content_type=qr.SVG_TYPE)
    response["Cache-Control"] = "private, max-age=3600"
    if "download" in request.GET:
        response["Content-Disposition"] = f'attachment; filename="qr-{campaign.pk}-{quota.unit_id}.svg"'
    return response


@login_required
@require_POST
def invitations(request: HttpRequest, pk: int) -> HttpResponse:
    campaign, quotas = _entering(request, pk)
    form = InvitationsForm(request.POST, units=[quota.unit for quota in quotas])
    back = reverse("surveys:campaign-links", args=[campaign.pk])
    if not form.is_valid():
        messages.error(request, form_errors_as_text(form))
        return redirect(back)
    unit = form.chosen_unit()
    done, created = run_service(
        request,
        lambda: sipas.create_invitations(
            actor=request.user, campaign=campaign, unit=unit, count=form.cleaned_data["count"]
        ),
    )
    if not done:
        return redirect(back)
    messages.success(
        request,
        _("%(count)s invitation codes were created for %(unit)s.")
        % {"count": len(created), "unit": unit.name},
    )
    return redirect(f"{back}?unit={unit.pk}#codes")


# -- paper forms, phone interviews and imports ----------------------------------------------------


def _questions(campaign: SurveyCampaign) -> list[Any]:
    return list(campaign.questions.select_related("element").order_by("position"))


def _render_entry(
    request: HttpRequest,
    campaign: SurveyCampaign,
    quotas: list[UnitQuota],
    *,
    form: ResponseEntryForm | None = None,
    upload: ResponsesUploadForm | None = None,
    import_errors: list[tuple[int | None, str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    units = [quota.unit for quota in quotas]
    if form is None:
        initial: dict[str, Any] = {"answered_on": timezone.localdate(), "channel": "paper"}
        if request.GET.get("unit", "").isdigit() and int(request.GET["unit"]) in {u.pk for u in units}:
            initial["unit"] = int(request.GET["unit"])
        elif len(units) == 1:
            initial["unit"] = units[0].pk
        if request.GET.get("channel") in ("paper", "phone"):
            initial["channel"] = request.GET["channel"]
        form = ResponseEntryForm(units=units, questions=_questions(campaign), initial=initial)
    context = {
        "campaign": campaign,
        "form": form,
        "open": campaign.status == CampaignStatus.OPEN,
        "known_fields": queries.known_fields(campaign),
        "may_import": has_unit_permission(request.user, PLAN, campaign.organiser),
        "upload_form": upload or ResponsesUploadForm(),
        "import_errors": import_errors or [],
        "columns": RESPONSE_COLUMNS,
        "optional_columns": OPTIONAL_RESPONSE_COLUMNS,
    }
    return render(request, "surveys/sipas/entry.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def response_entry(request: HttpRequest, pk: int) -> HttpResponse:
    campaign, quotas = _entering(request, pk)
    if request.method == "GET":
        return _render_entry(request, campaign, quotas)
    units = [quota.unit for quota in quotas]
    form = ResponseEntryForm(request.POST, units=units, questions=_questions(campaign))
    if form.is_valid():
        data = form.cleaned_data
        done, response = run_service(
            request,
            lambda: sipas.enter_response(
                actor=request.user,
                campaign=campaign,
                unit=form.chosen_unit(),
                answers=form.answers(),
                channel=data["channel"],
                answered_on=data["answered_on"],
                response_code=data["response_code"],
                field=data["field"],
            ),
            form=form,
        )
        if done:
            messages.success(
                request,
                _("The form is saved for %(unit)s; its receipt code is %(code)s.")
                % {"unit": response.unit.name, "code": response.receipt_code},
            )
            url = reverse("surveys:response-entry", args=[campaign.pk])
            return redirect(f"{url}?unit={response.unit_id}&channel={response.channel}")
    return _render_entry(request, campaign, quotas, form=form, status=400)


@login_required
@require_POST
def responses_import(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_in_view(request.user, pk)
    if not has_unit_permission(request.user, PLAN, campaign.organiser):
        raise PermissionDenied(
            _("Only the reform office of %(unit)s imports answers.") % {"unit": campaign.organiser.name}
        )
    quotas = queries.quotas_for(request.user, campaign, PLAN)
    upload = ResponsesUploadForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _render_entry(request, campaign, quotas, upload=upload, status=400)
    file = upload.cleaned_data["file"]
    try:
        summary = import_responses(
            actor=request.user, content=file.read(), filename=file.name, campaign=campaign
        )
    except ImportRefused as refused:
        return _render_entry(request, campaign, quotas, upload=upload, import_errors=refused.rows, status=400)
    except ValidationError as error:
        attach_errors(upload, error)
        return _render_entry(request, campaign, quotas, upload=upload, status=400)
    messages.success(
        request,
        _("Answers imported: %(created)s new forms, %(updated)s changed, %(unchanged)s unchanged.") % summary,
    )
    return redirect("surveys:campaign", pk=campaign.pk)
