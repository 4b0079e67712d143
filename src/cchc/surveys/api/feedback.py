"""Citizen feedback over the API: the scoped list and detail, its steps and history, and each action of the
detail page (route, refuse, request information, information received, answer, publish, close).

Reading goes through `queries.feedback.visible`, so another unit's feedback is 404 as on the pages. An
action checks the caller's right first (`feedback_rights.require_right`, 403), then `If-Match` against the
feedback as the caller reads it now, with the row locked (428 without it, 412 when stale: the clerk
and the reform office cannot undo each other's step unknowingly), then the body (400), then hands over
to the service, which checks the status and writes the audit row. A refusal that is not about a field of
the body is the feedback's state standing in the way (already answered, no consent to publish): 409.
"""

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.response import Response

from cchc.core.api import AuditEntrySerializer
from cchc.core.api_concurrency import CONCURRENCY_RESPONSES, IF_MATCH, ETagMixin
from cchc.surveys.api.pagination import SurveysPagination
from cchc.surveys.api.serializers import (
    FeedbackInformationReceivedSerializer,
    FeedbackReasonSerializer,
    FeedbackRouteSerializer,
    FeedbackSerializer,
    FeedbackStepSerializer,
    FeedbackTextSerializer,
)
from cchc.surveys.models import Feedback
from cchc.surveys.queries import feedback as queries
from cchc.surveys.services import feedback as services
from cchc.surveys.services import feedback_rights
from cchc.units.models import Unit

FEEDBACK_EXAMPLE = {
    "id": 12,
    "receipt_code": "PA7KQ2M9XPRT",
    "external_code": "",
    "organiser": 1,
    "organiser_name": "Tỉnh Thử Nghiệm",
    "unit": 7,
    "unit_name": "Xã Tây",
    "kind": "procedure",
    "procedure_code": "",
    "channel": "web",
    "title": "Chậm trả kết quả hộ tịch",
    "content": "Hồ sơ khai sinh nộp đã lâu chưa có kết quả.",
    "contact": "",
    "consent_to_publish": True,
    "status": "answered",
    "received_at": "2026-03-02T09:00:00+07:00",
    "refuse_due": "2026-03-05",
    "info_request_due": "2026-03-05",
    "handle_due": "2026-03-23",
    "publish_due": "2026-03-13",
    "refused_at": None,
    "refusal_reason": "",
    "info_requested_at": None,
    "info_request": "",
    "info_received_at": None,
    "answered_at": "2026-03-10T10:00:00+07:00",
    "answer": "Đã cấp giấy khai sinh.",
    "published_at": None,
    "rating": "",
    "rated_at": None,
    "reopened_count": 0,
    "reopen_reason": "",
    "late_steps": [],
    "allowed_actions": ["publish"],
}
HISTORY_EXAMPLE = {
    "id": 301,
    "at": "2026-03-10T10:00:00+07:00",
    "actor": 5,
    "actor_label": "Lê Thị Cán Bộ",
    "via": "",
    "action": "feedback.answer",
    "object_type": "surveys.feedback",
    "object_id": "12",
    "object_repr": "PA7KQ2M9XPRT — Chậm trả kết quả hộ tịch",
    "unit": 7,
    "before": {"status": "routed", "answer": ""},
    "after": {"status": "answered", "answer": "Đã cấp giấy khai sinh."},
    "reason": "",
}
ANSWERED = OpenApiExample("Đã trả lời", value=FEEDBACK_EXAMPLE, response_only=True, status_codes=["200"])
STATE_CONFLICT = OpenApiResponse(
    description=(
        "The feedback's state does not allow this step (e.g. already answered), or a rule the step needs "
        "is missing (no deadline set for a step: an administrator must enter it); `detail` says why."
    )
)


class StateConflict(APIException):
    """409: the step does not fit the feedback's present state; the service's message says why."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def step_schema(summary: str, request=None, example: dict | None = None):
    """The schema of one action: its body and example, If-Match, and the answers 409, 412 and 428."""
    examples = [ANSWERED]
    if example is not None:
        examples.append(OpenApiExample(summary, value=example, request_only=True))
    return extend_schema(
        summary=summary,
        request=request,
        parameters=[IF_MATCH],
        responses={200: FeedbackSerializer, 409: STATE_CONFLICT, **CONCURRENCY_RESPONSES},
        examples=examples,
    )


class FeedbackFilter(django_filters.FilterSet):
    """The page's filters: `unit` takes the unit and the units below it; the dates are days of receipt."""

    unit = django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), method="in_unit")
    received_from = django_filters.DateFilter(field_name="received_at", lookup_expr="date__gte")
    received_to = django_filters.DateFilter(field_name="received_at", lookup_expr="date__lte")
    overdue = django_filters.BooleanFilter(method="is_overdue")

    class Meta:
        model = Feedback
        fields = ["status", "kind", "channel", "organiser"]

    def in_unit(self, queryset, name, unit):
        return queryset.filter(unit__path__startswith=unit.path)

    def is_overdue(self, queryset, name, value):
        late = queries.overdue_q(timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


@extend_schema_view(
    list=extend_schema(
        summary="Citizen feedback in reach",
        examples=[OpenApiExample("Một phản ánh", value=FEEDBACK_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="One feedback (its ETag is the If-Match of the next step)",
        examples=[OpenApiExample("Một phản ánh", value=FEEDBACK_EXAMPLE, response_only=True)],
    ),
)
class FeedbackViewSet(ETagMixin, viewsets.ReadOnlyModelViewSet):
    """Feedback routed to a unit the caller views, or not yet routed within the caller's authority."""

    serializer_class = FeedbackSerializer
    filterset_class = FeedbackFilter
    pagination_class = SurveysPagination

    def get_queryset(self):
        return queries.visible(self.request.user).order_by("-received_at", "-pk")

    def _step(self, name: str, body_class, run) -> Response:
        feedback = self.get_object()  # scope first: out of reach is 404 whatever else is wrong
        try:
            feedback_rights.require_right(self.request.user, feedback, name)
        except DjangoPermissionDenied as refused:
            raise PermissionDenied(str(refused)) from None
        with transaction.atomic():  # the lock taken by locked_object holds until the service is done
            feedback = self.locked_object()
            data = {}
            if body_class is not None:
                body = body_class(data=self.request.data)
                body.is_valid(raise_exception=True)
                data = body.validated_data
            try:
                feedback = run(feedback, data)
            except DjangoValidationError as refused:
                if hasattr(refused, "error_dict"):
                    raise  # a field of the body: 400 with the field named
                raise StateConflict(" ".join(refused.messages)) from None
        return self.answer_with_etag(feedback)

    @step_schema("Send to the responsible unit", FeedbackRouteSerializer, {"unit": 7})
    @action(detail=True, methods=["post"])
    def route(self, request, pk=None):
        return self._step(
            "route",
            FeedbackRouteSerializer,
            lambda fb, data: services.route_feedback(actor=request.user, feedback=fb, unit=data["unit"]),
        )

    @step_schema(
        "Refuse to handle", FeedbackReasonSerializer, {"reason": "Nội dung trùng với phản ánh đã trả lời."}
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._step(
            "refuse",
            FeedbackReasonSerializer,
            lambda fb, data: services.refuse_feedback(actor=request.user, feedback=fb, reason=data["reason"]),
        )

    @step_schema(
        "Ask the citizen for more information", FeedbackTextSerializer, {"text": "Xin cho biết số hồ sơ."}
    )
    @action(detail=True, methods=["post"], url_path="request-info")
    def request_info(self, request, pk=None):
        return self._step(
            "request-info",
            FeedbackTextSerializer,
            lambda fb, data: services.request_information(actor=request.user, feedback=fb, text=data["text"]),
        )

    @step_schema(
        "The information arrived (the answer's deadline starts again)",
        FeedbackInformationReceivedSerializer,
        {"received_at": "2026-03-12T08:30:00+07:00"},
    )
    @action(detail=True, methods=["post"], url_path="info-received")
    def info_received(self, request, pk=None):
        return self._step(
            "info-received",
            FeedbackInformationReceivedSerializer,
            lambda fb, data: services.information_received(
                actor=request.user, feedback=fb, received_at=data.get("received_at")
            ),
        )

    @step_schema("Answer the citizen", FeedbackTextSerializer, {"text": "Đã cấp giấy khai sinh ngày 10/3."})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        return self._step(
            "answer",
            FeedbackTextSerializer,
            lambda fb, data: services.answer_feedback(actor=request.user, feedback=fb, text=data["text"]),
        )

    @step_schema("Publish the answer (the citizen agreed to it)")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._step(
            "publish", None, lambda fb, data: services.publish_answer(actor=request.user, feedback=fb)
        )

    @step_schema("Close the answered feedback")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._step(
            "close", None, lambda fb, data: services.close_feedback(actor=request.user, feedback=fb)
        )

    @extend_schema(
        summary="The steps of the handling with their deadlines",
        responses=FeedbackStepSerializer(many=True),
        examples=[
            OpenApiExample(
                "Các bước",
                # One step: the schema shows it inside the list the answer is.
                value={
                    "step": "handle",
                    "label": "Trả lời",
                    "due": "2026-03-23",
                    "done": None,
                    "late": False,
                },
                response_only=True,
            )
        ],
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def steps(self, request, pk=None):
        return Response(FeedbackStepSerializer(queries.steps(self.get_object()), many=True).data)

    @extend_schema(
        summary="What was done to the feedback, by whom and when (the audit entries the caller may read)",
        responses=AuditEntrySerializer(many=True),
        examples=[OpenApiExample("Lịch sử", value=HISTORY_EXAMPLE, response_only=True)],
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def history(self, request, pk=None):
        entries = queries.history(request.user, self.get_object()).select_related("object_type")
        return Response(AuditEntrySerializer(entries.order_by("at", "id"), many=True).data)
