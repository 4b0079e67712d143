"""API for scorecards (assessments) and their items: read them, and the changes the scorecard page makes,
each through `services.items` with the same rights (the focal point enters, the leader submits, the
appraiser appraises, the unit explains once, the appraiser appraises a second time).

An item out of the caller's sight is 404 whatever the body; in sight but without the right is 403.
An item change must carry If-Match (the ETag of the item as read: 428 without, 412 when stale) and may
name the item's `version` in the body (409 when older than the stored one, as on the pages).
"""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cchc.core.api_concurrency import CONCURRENCY_RESPONSES, IF_MATCH, ETagMixin, conflict_response
from cchc.parindex.api import examples
from cchc.parindex.api.serializers import (
    AcceptedSerializer,
    AppraisalSerializer,
    AssessmentSerializer,
    ExplanationSerializer,
    ItemSerializer,
    SecondAppraisalSerializer,
    SelfAssessmentSerializer,
)
from cchc.parindex.models import Assessment, AssessmentStatus, Item
from cchc.parindex.services import items as services
from cchc.parindex.services.common import Conflict


class AssessmentFilter(django_filters.FilterSet):
    """Filter scorecards by campaign, unit and state (draft or submitted)."""

    status = django_filters.ChoiceFilter(choices=AssessmentStatus.choices)
    year = django_filters.NumberFilter(field_name="campaign__year")

    class Meta:
        model = Assessment
        fields = ["campaign", "unit", "status", "year", "criteria_set"]


@extend_schema_view(
    list=extend_schema(
        description="The scorecards of the units the caller sees.", examples=[examples.ASSESSMENT]
    ),
    retrieve=extend_schema(
        description="One scorecard; the ETag header is the If-Match of its submission.",
        examples=[examples.ASSESSMENT],
    ),
)
class AssessmentViewSet(ETagMixin, viewsets.ReadOnlyModelViewSet):
    """Scorecards: one unit's in one campaign. Its items are under /parindex/items/?assessment=ID."""

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter

    def get_queryset(self):
        return (
            Assessment.objects.for_user(self.request.user)
            .select_related("unit", "campaign")
            .order_by("campaign", "unit__path")
        )

    @extend_schema(
        request=None,
        responses={200: AssessmentSerializer, **CONCURRENCY_RESPONSES},
        parameters=[IF_MATCH],
        description="The unit leader sends the self-assessment to the appraisers; it is locked from then "
        "on. Refused (400) with every leaf still missing a score or its evidence.",
        examples=[examples.ASSESSMENT],
    )
    @action(detail=True, methods=["post"])
    @ETagMixin.atomic
    def submit(self, request, pk=None):
        assessment = self.locked_object()
        services.submit_assessment(actor=request.user, assessment=assessment)
        return self.answer_with_etag(assessment)

    @extend_schema(
        request=None,
        responses={200: AcceptedSerializer},
        description="The appraiser accepts every self-assessed score not yet appraised. It changes no "
        "appraisal already made, so it needs no If-Match.",
        examples=[examples.ACCEPTED],
    )
    @action(detail=True, methods=["post"], url_path="accept-remaining")
    def accept_remaining(self, request, pk=None):
        assessment = self.get_object()
        accepted = services.accept_remaining(actor=request.user, assessment=assessment)
        return Response({"accepted": accepted})


# An id beyond a database integer is refused (400), not sent to the database (SQLite raises: a 500).
ID_BOUNDS = {"min_value": 1, "max_value": 2**63 - 1}


class ItemFilter(django_filters.FilterSet):
    """Filter items by scorecard, campaign, unit, criterion (id or code) and appraisal state."""

    campaign = django_filters.NumberFilter(field_name="assessment__campaign", **ID_BOUNDS)
    unit = django_filters.NumberFilter(field_name="assessment__unit", **ID_BOUNDS)
    criterion_code = django_filters.CharFilter(field_name="criterion__code")
    appraised = django_filters.BooleanFilter(field_name="appraised_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Item
        fields = ["assessment", "campaign", "unit", "criterion", "criterion_code", "appraised"]


ITEM_WRITE_RESPONSES = {
    200: ItemSerializer,
    409: {"description": "The body named an older version of the item: read it again."},
    **CONCURRENCY_RESPONSES,
}


def _item_write(request_serializer, description: str, *request_examples):
    return extend_schema(
        request=request_serializer,
        responses=ITEM_WRITE_RESPONSES,
        parameters=[IF_MATCH],
        description=description,
        examples=[*request_examples, examples.ITEM],
    )


@extend_schema_view(
    list=extend_schema(description="The items of the scorecards the caller sees.", examples=[examples.ITEM]),
    retrieve=extend_schema(
        description="One item; the ETag header is the If-Match of its next change.",
        examples=[examples.ITEM],
    ),
)
class ItemViewSet(ETagMixin, viewsets.ReadOnlyModelViewSet):
    """Scorecard items; every change goes through `services.items`, which checks the right and the phase
    and writes the audit entry with the values before and after."""

    serializer_class = ItemSerializer
    filterset_class = ItemFilter

    def get_queryset(self):
        return (
            Item.objects.for_user(self.request.user)
            .select_related("criterion", "assessment")
            .prefetch_related("evidence")
            .order_by("assessment", "criterion__position")
        )

    def _write(self, body_serializer, change):
        """Lock and check If-Match, read the body, run the service; an older `version` is a 409."""
        item = self.locked_object()
        body = body_serializer(data=self.request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        version = values.pop("version", None)
        try:
            change(item, values, version)
        except Conflict as stale:
            return conflict_response(" ".join(stale.messages))
        return self.answer_with_etag(item)

    @_item_write(
        SelfAssessmentSerializer,
        "The unit's own score on a leaf (focal point, self-assessment phase, scorecard not submitted): "
        "what it reports is turned into points by the leaf's method.",
        examples.SELF_ASSESSMENT,
    )
    @action(detail=True, methods=["post"], url_path="self-assessment")
    @ETagMixin.atomic
    def self_assessment(self, request, pk=None):
        return self._write(
            SelfAssessmentSerializer,
            lambda item, values, version: services.self_assess(
                actor=request.user,
                item=item,
                reported=values["self_input"],
                not_applicable=values["not_applicable"],
                note=values["unit_note"],
                expected_version=version,
            ),
        )

    @_item_write(
        AppraisalSerializer,
        "Appraise a leaf (appraiser, appraisal phase): accept the unit's score, or set another one with "
        "the reason.",
        examples.APPRAISAL_ACCEPT,
        examples.APPRAISAL_ADJUST,
    )
    @action(detail=True, methods=["post"])
    @ETagMixin.atomic
    def appraisal(self, request, pk=None):
        def change(item, values, version):
            accept = values["accept"]
            return services.appraise_item(
                actor=request.user,
                item=item,
                accept=accept,
                score=values["appraised_score"],
                reason=values["appraisal_reason"],
                not_applicable=None if accept else values["not_applicable"],
                expected_version=version,
            )

        return self._write(AppraisalSerializer, change)

    @_item_write(
        ExplanationSerializer,
        "The unit's one explanation of an adjusted score (focal point, explanation phase).",
        examples.EXPLANATION,
    )
    @action(detail=True, methods=["post"])
    @ETagMixin.atomic
    def explanation(self, request, pk=None):
        return self._write(
            ExplanationSerializer,
            lambda item, values, version: services.explain_item(
                actor=request.user, item=item, text=values["explanation"], expected_version=version
            ),
        )

    @_item_write(
        SecondAppraisalSerializer,
        "The final score of an explained item, with the reason (appraiser, second-appraisal phase).",
        examples.SECOND_APPRAISAL,
    )
    @action(detail=True, methods=["post"], url_path="second-appraisal")
    @ETagMixin.atomic
    def second_appraisal(self, request, pk=None):
        return self._write(
            SecondAppraisalSerializer,
            lambda item, values, version: services.second_appraise(
                actor=request.user,
                item=item,
                score=values["second_score"],
                reason=values["second_reason"],
                expected_version=version,
            ),
        )
