"""SIPAS over the API: campaigns (with their questionnaire), a campaign's indices per unit, and responses.

The rules are the pages' (`views/sipas.py`, `views/sipas_entry.py`): a campaign is seen by whoever views
its organiser or one of its surveyed units, and its figures only for the units the caller views; the
responses one by one are read only by who views the organiser (the pages show the rest no single form),
and typed in (paper form, phone interview) by whoever may enter for a surveyed unit, through
`services.sipas.enter_response`.

A response is anonymous and the API keeps it so: no receipt code (the citizen's key), no invitation
(a code handed to a known person), no creation time (it could be matched with a visit at the desk), no
single form to the surveyed unit's own staff (they met the citizens of the day) and no text a person
wrote (an open answer, or a perception question without options: people write names and telephone
numbers in them); only the scores and the options chosen, the channel, the field and the day.
"""

from typing import Any

import django_filters
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from cchc.accounts.permissions import ENTER, VIEW
from cchc.surveys.api.pagination import SurveysPagination
from cchc.surveys.api.serializers import (
    SipasCampaignSerializer,
    SipasEnteredResponseSerializer,
    SipasNewResponseSerializer,
    SipasResponseSerializer,
    SipasResultsSerializer,
)
from cchc.surveys.models import QuestionKind, SurveyAnswerValue, SurveyCampaign, SurveyResponse
from cchc.surveys.queries import sipas as queries
from cchc.surveys.services import sipas as services
from cchc.surveys.views.sipas import chosen_period
from cchc.units.models import Unit

CAMPAIGN_EXAMPLE = {
    "id": 3,
    "code": "SIPAS-2026",
    "organiser": 1,
    "organiser_name": "Tỉnh Thử Nghiệm",
    "year": 2026,
    "title": "Khảo sát sự hài lòng 2026",
    "status": "open",
    "starts_on": "2026-03-01",
    "ends_on": "2026-11-30",
    "formula": "mean_of_elements",
    "legal_basis": "",
    "elements": [{"code": "TC", "title": "Tiếp cận dịch vụ", "kind": "service"}],
    "questions": [
        {
            "code": "TC-HL",
            "element": "TC",
            "text": "Hài lòng về việc tiếp cận?",
            "kind": "satisfaction",
            "options": [],
            "required": True,
        }
    ],
}
RESPONSE_EXAMPLE = {
    "id": 41,
    "campaign": 3,
    "unit": 7,
    "response_code": "P-0012",
    "channel": "paper",
    "field": "Hộ tịch",
    "answered_on": "2026-04-02",
    "answers": {"TC-HL": 5, "TT-HL": 4},
}
NEW_RESPONSE_EXAMPLE = {
    "campaign": 3,
    "unit": 7,
    "channel": "paper",
    "answered_on": "2026-04-02",
    "response_code": "P-0012",
    "field": "Hộ tịch",
    "answers": {"TC-HL": "5", "TT-HL": "4", "CC-HL": "4", "KQ-HL": "5", "PA-HL": "3"},
}
RESULTS_EXAMPLE = {
    "campaign": 3,
    "period": "2026",
    "elements": [{"code": "TC", "title": "Tiếp cận dịch vụ", "kind": "service"}],
    "rows": [
        {
            "unit": 7,
            "unit_name": "Xã Tây",
            "n": 120,
            "quota": 100,
            "below_quota": False,
            "elements": {"TC": "85.00"},
            "overall": "85.00",
            "ci_low": "77.50",
            "ci_high": "90.30",
            "hidden_below": None,
            "previous": "80.00",
            "previous_from": "",
            "change": "5.00",
            "rating": None,
        }
    ],
    "total": {
        "n": 120,
        "quota": None,
        "elements": {"TC": "85.00"},
        "overall": "85.00",
        "ci_low": "77.50",
        "ci_high": "90.30",
        "hidden_below": None,
    },
    "previous_year": 2025,
    "previous_total": None,
    "quota_total": 100,
}


class CampaignFilter(django_filters.FilterSet):
    """`unit`: the campaigns organised by that unit or surveying it."""

    # A unit's id, checked as one (a number too big for the database is 400, not a server error).
    unit = extend_schema_field(OpenApiTypes.INT)(
        django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), method="organised_or_surveyed")
    )

    class Meta:
        model = SurveyCampaign
        fields = ["year", "status", "organiser"]

    def organised_or_surveyed(self, queryset, name, unit):
        return queryset.filter(Q(organiser=unit) | Q(quotas__unit=unit)).distinct()


@extend_schema_view(
    list=extend_schema(
        summary="SIPAS campaigns in reach",
        examples=[OpenApiExample("Một đợt khảo sát", value=CAMPAIGN_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="One SIPAS campaign with its questionnaire",
        examples=[OpenApiExample("Một đợt khảo sát", value=CAMPAIGN_EXAMPLE, response_only=True)],
    ),
)
class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    """Campaigns whose organiser or one of whose surveyed units the caller views; any other is 404."""

    serializer_class = SipasCampaignSerializer
    filterset_class = CampaignFilter
    pagination_class = SurveysPagination

    def get_queryset(self):
        return (
            SurveyCampaign.objects.for_user(self.request.user)
            .select_related("organiser")
            .prefetch_related("elements", "questions__element")
            .order_by("-year", "code")
        )

    @extend_schema(
        summary="SIPAS indices of a campaign per unit",
        description=(
            "Per surveyed unit the caller views (all of them for who views the organiser): the number of "
            "forms, the quota, each element's index, the overall index with its 95 % interval (Wilson), "
            "last year's overall index and the one-stop rating; and the totals of those units, as on "
            "the campaign's page. `period`: a month or quarter of the campaign's year (2026-03, "
            "2026-Q1); empty: the whole campaign."
        ),
        parameters=[OpenApiParameter("period", str, description="YYYY-MM or YYYY-Qn of the campaign's year")],
        responses=SipasResultsSerializer,
        examples=[OpenApiExample("Chỉ số theo đơn vị", value=RESULTS_EXAMPLE, response_only=True)],
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def results(self, request, pk=None):
        campaign = self.get_object()
        period, error = chosen_period(request, campaign)
        if error:
            raise ValidationError({"period": [error]})
        results = queries.result_rows(
            campaign, units=queries.viewer_units(request.user, campaign), period=period
        )
        return Response(SipasResultsSerializer(results).data)


def with_answers(responses: QuerySet[SurveyResponse]) -> QuerySet[SurveyResponse]:
    """The responses with the answers that may be shown: open-text answers are not read at all."""
    shown = SurveyAnswerValue.objects.exclude(question__kind=QuestionKind.OPEN).select_related("question")
    return responses.prefetch_related(Prefetch("answers", queryset=shown))


class ResponseFilter(django_filters.FilterSet):
    """By campaign, unit, channel and the day answered (from, to: both included)."""

    answered_from = django_filters.DateFilter(field_name="answered_on", lookup_expr="gte")
    answered_to = django_filters.DateFilter(field_name="answered_on", lookup_expr="lte")

    class Meta:
        model = SurveyResponse
        fields = ["campaign", "unit", "channel"]


@extend_schema_view(
    list=extend_schema(
        summary="SIPAS responses of the campaigns whose organiser the caller views (anonymous)",
        examples=[OpenApiExample("Một phiếu", value=RESPONSE_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="One SIPAS response (anonymous)",
        examples=[OpenApiExample("Một phiếu", value=RESPONSE_EXAMPLE, response_only=True)],
    ),
)
class ResponseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Responses of the campaigns whose organiser the caller views; `create` types in a paper form or a
    phone interview (for the surveyed units the caller enters for)."""

    serializer_class = SipasResponseSerializer
    filterset_class = ResponseFilter
    pagination_class = SurveysPagination

    def get_queryset(self):
        user = self.request.user
        # Only who sees the whole campaign reads its forms one by one (as only they download the whole
        # table on the pages): a unit's own staff, who met the citizens at the desk, would match a
        # form of their unit with its day (or the newest one with the last visitor); they read the
        # unit's figures in `results`.
        whole = SurveyCampaign.objects.filter(organiser__in=Unit.objects.for_user(user, VIEW).values("pk"))
        return with_answers(
            SurveyResponse.objects.for_user(user).filter(campaign__in=whole.values("pk"))
        ).order_by("-answered_on", "-id")

    @extend_schema(
        summary="Type in a paper form or a phone interview",
        description=(
            "For staff who may enter answers for the unit (its staff, the reform office), while the "
            "campaign collects answers. `answers`: the question codes of the campaign's questionnaire "
            "with a score 1–5 for satisfaction questions, an offered option or a text for the others. "
            "The answer carries the response's receipt code, as the entry page shows it."
        ),
        request=SipasNewResponseSerializer,
        responses={201: SipasEnteredResponseSerializer},
        examples=[
            OpenApiExample("Phiếu giấy", value=NEW_RESPONSE_EXAMPLE, request_only=True),
            OpenApiExample(
                "Phiếu đã lưu",
                value={**RESPONSE_EXAMPLE, "receipt_code": "7KQ2M9XPRT"},
                response_only=True,
                status_codes=["201"],
            ),
        ],
    )
    def create(self, request, *args, **kwargs):
        data = SipasNewResponseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        campaign = SurveyCampaign.objects.for_user(request.user).filter(pk=values.pop("campaign")).first()
        if campaign is None:
            raise ValidationError({"campaign": [_("Survey not found.")]})
        quotas = queries.quotas_for(request.user, campaign, ENTER)
        if not quotas:
            raise PermissionDenied(_("You enter answers for none of the units surveyed."))
        units = {quota.unit_id: quota.unit for quota in quotas}
        unit = units.get(values.pop("unit"))
        if unit is None:
            raise ValidationError({"unit": [_("Choose one of the surveyed units you enter answers for.")]})
        response = services.enter_response(actor=request.user, campaign=campaign, unit=unit, **values)
        # Read back for whoever typed it, even a unit's staff who may not list the campaign's forms.
        entered = with_answers(SurveyResponse.objects.filter(pk=response.pk)).get()
        return Response(SipasEnteredResponseSerializer(entered).data, status=status.HTTP_201_CREATED)
