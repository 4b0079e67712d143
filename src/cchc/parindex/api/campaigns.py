"""API for criteria sets (read-only) and campaigns: list, open, deadlines, the move through the phases and
the results rows, with the same scoping and rights as the pages (`views.campaigns`, `views.results`).

A campaign is read by whoever sees its organiser or one of its scored units (else 404); changing it needs
the right to plan on its organiser (else 403), checked again by the service. Deadlines and phase moves
require If-Match (two people of the reform office must not move a campaign twice without seeing it).
"""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError

from cchc.core.api_concurrency import CONCURRENCY_RESPONSES, IF_MATCH, ETagMixin
from cchc.parindex.api import examples
from cchc.parindex.api.serializers import (
    DEADLINE_FIELDS,
    AdvanceSerializer,
    CampaignCreateSerializer,
    CampaignSerializer,
    CriteriaSetDetailSerializer,
    CriteriaSetSerializer,
    DeadlinesSerializer,
    ResultRowSerializer,
)
from cchc.parindex.models import Campaign, CriteriaSet, Criterion, Phase
from cchc.parindex.queries import campaigns as campaign_queries
from cchc.parindex.queries import ranking
from cchc.parindex.queries.criteria import criteria_sets_with_figures
from cchc.parindex.services import campaigns as services
from cchc.units.models import UnitType


@extend_schema_view(
    list=extend_schema(
        description="The criteria sets (the province's published rules), newest year first.",
        examples=[examples.CRITERIA_SET],
    ),
    retrieve=extend_schema(
        description="One set with its whole tree of areas, criteria and leaves.",
        examples=[examples.CRITERIA_SET_DETAIL],
    ),
)
class CriteriaSetViewSet(viewsets.ReadOnlyModelViewSet):
    """Criteria sets, read by anyone who may view some unit; they are changed on the pages only."""

    filterset_fields = ["year", "unit_type", "verified"]

    def get_serializer_class(self):
        return CriteriaSetDetailSerializer if self.action == "retrieve" else CriteriaSetSerializer

    def get_queryset(self):
        # The list page's figures, limited to the sets the caller may read.
        scoped = CriteriaSet.objects.for_user(self.request.user).values("pk")
        visible = criteria_sets_with_figures().filter(pk__in=scoped)
        if self.action == "retrieve":
            ordered = Criterion.objects.order_by("position")
            visible = visible.prefetch_related(Prefetch("criteria", ordered, to_attr="ordered_criteria"))
        return visible


class CampaignFilter(django_filters.FilterSet):
    """Filter campaigns by year, phase and organiser."""

    year = django_filters.NumberFilter()
    phase = django_filters.ChoiceFilter(choices=Phase.choices)

    class Meta:
        model = Campaign
        fields = ["year", "phase", "organiser"]


CAMPAIGN_WRITE_RESPONSES = {200: CampaignSerializer, **CONCURRENCY_RESPONSES}


@extend_schema_view(
    list=extend_schema(
        description="The campaigns whose organiser or one of whose scored units the caller sees.",
        examples=[examples.CAMPAIGN],
    ),
    retrieve=extend_schema(
        description="One campaign; the ETag header is the If-Match of its next change.",
        examples=[examples.CAMPAIGN],
    ),
    create=extend_schema(
        request=CampaignCreateSerializer,
        responses={201: CampaignSerializer},
        description="Open a year's campaign (reform office of a province), with a scorecard per scored unit.",
        examples=[examples.CAMPAIGN_CREATE, examples.CAMPAIGN],
    ),
)
class CampaignViewSet(ETagMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """PAR Index campaigns; writes go through `services.campaigns` and are audited there."""

    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter

    def get_queryset(self):
        return (
            Campaign.objects.for_user(self.request.user).select_related("organiser").order_by("-year", "id")
        )

    def create(self, request, *args, **kwargs):
        organisers = campaign_queries.organisers(request.user)
        if not organisers.exists():
            raise PermissionDenied(_("Only the reform office of a province opens a PAR Index campaign."))
        data = CampaignCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if not organisers.filter(pk=values["organiser"].pk).exists():
            raise ValidationError({"organiser": _("Choose a province whose reform office you belong to.")})
        campaign = services.create_campaign(
            actor=request.user,
            organiser=values["organiser"],
            year=values["year"],
            title=values["title"],
            deadlines={field: values[field] for field in DEADLINE_FIELDS if field in values},
        )
        return self.answer_with_etag(campaign, status.HTTP_201_CREATED)

    @extend_schema(
        request=DeadlinesSerializer,
        responses=CAMPAIGN_WRITE_RESPONSES,
        parameters=[IF_MATCH],
        description="Change the phases' deadlines; a field left out keeps its day.",
        examples=[examples.DEADLINES, examples.CAMPAIGN],
    )
    @action(detail=True, methods=["post"])
    @ETagMixin.atomic
    def deadlines(self, request, pk=None):
        campaign = self.locked_object()
        data = DeadlinesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.set_deadlines(actor=request.user, campaign=campaign, deadlines=data.validated_data)
        return self.answer_with_etag(campaign)

    @extend_schema(
        request=AdvanceSerializer,
        responses=CAMPAIGN_WRITE_RESPONSES,
        parameters=[IF_MATCH],
        description="Close the current phase and open the next; finalisation fixes the results, "
        "publication needs the decision's number.",
        examples=[examples.ADVANCE, examples.CAMPAIGN],
    )
    @action(detail=True, methods=["post"])
    @ETagMixin.atomic
    def advance(self, request, pk=None):
        campaign = self.locked_object()
        data = AdvanceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.advance_phase(
            actor=request.user, campaign=campaign, decision_number=data.validated_data["decision_number"]
        )
        return self.answer_with_etag(campaign)

    @extend_schema(
        parameters=[
            OpenApiParameter("unit_type", OpenApiTypes.STR, enum=UnitType.values),
            OpenApiParameter("unit", OpenApiTypes.INT),
        ],
        responses=ResultRowSerializer(many=True),
        description="The campaign's results, rows of the units the caller may view, best rank first within "
        "each unit type. Computed from the items as they stand (`provisional`) until finalisation, "
        "the fixed results from then on.",
        examples=[examples.RESULT_ROW],
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def results(self, request, pk=None):
        campaign = self.get_object()
        unit_type = request.query_params.get("unit_type") or None
        if unit_type is not None and unit_type not in UnitType.values:
            raise ValidationError({"unit_type": _("“%(value)s” is not a unit type.") % {"value": unit_type}})
        rows = ranking.visible_rows(request.user, ranking.campaign_rows(campaign, unit_type))
        unit = request.query_params.get("unit")
        if unit:
            # isascii: "²" and other Unicode digits pass isdigit() but int() refuses them (a 500).
            if not (unit.isascii() and unit.isdigit()):
                raise ValidationError({"unit": _("“%(value)s” is not a unit id.") % {"value": unit}})
            rows = [row for row in rows if row.unit.pk == int(unit)]
        page = self.paginate_queryset(rows)
        context = {"fixed": ranking.is_fixed(campaign)}
        return self.get_paginated_response(ResultRowSerializer(page, many=True, context=context).data)
