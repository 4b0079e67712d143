"""API for the calendar: overrides (read by anyone signed in, changed by administrators) and a calculator."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from cchc.workdays import calendar, services
from cchc.workdays.models import CalendarOverride


class CanEditCalendar(permissions.BasePermission):
    """Reading is open to every signed-in user; changes need the province's administrator role."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return services.can_edit_calendar(request.user)


class CalendarOverrideSerializer(serializers.ModelSerializer):
    reason = serializers.CharField(write_only=True, required=False, allow_blank=True, default="")

    class Meta:
        model = CalendarOverride
        fields = ["id", "date", "kind", "name", "legal_basis", "note", "reason", "created_at", "updated_at"]
        # Uniqueness and the calendar rules are the service's to check, with its own messages.
        validators: list[Any] = []
        extra_kwargs: dict[str, Any] = {"date": {"validators": []}}


OVERRIDE = {
    "id": 4,
    "date": "2026-01-03",
    "kind": "working",
    "name": "Làm bù cho ngày nghỉ 02/01/2026",
    "legal_basis": 2,
    "note": "Theo Thông báo của Bộ Nội vụ về lịch nghỉ Tết Dương lịch",
    "created_at": "2025-12-10T08:00:00+07:00",
    "updated_at": "2025-12-10T08:00:00+07:00",
}
OVERRIDE_ANSWER = [OpenApiExample("Ngày làm bù", value=OVERRIDE, response_only=True)]
OVERRIDE_REQUEST = [
    OpenApiExample(
        "Ngày làm bù",
        value={
            "date": "2026-01-03",
            "kind": "working",
            "name": "Làm bù cho ngày nghỉ 02/01/2026",
            "reason": "Theo thông báo lịch nghỉ Tết",
        },
        request_only=True,
    ),
    *OVERRIDE_ANSWER,
]


@extend_schema_view(
    list=extend_schema(
        summary="Calendar overrides (make-up working days, extra days off)", examples=OVERRIDE_ANSWER
    ),
    retrieve=extend_schema(examples=OVERRIDE_ANSWER),
    create=extend_schema(summary="Add an override (administrators)", examples=OVERRIDE_REQUEST),
    update=extend_schema(summary="Change an override (administrators)", examples=OVERRIDE_REQUEST),
    partial_update=extend_schema(
        summary="Change part of an override (administrators)",
        examples=[
            OpenApiExample(
                "Đổi tên", value={"name": "Làm bù Tết Dương lịch", "reason": "Sửa tên"}, request_only=True
            )
        ],
    ),
    destroy=extend_schema(summary="Delete an override (administrators)"),
)
class CalendarOverrideViewSet(viewsets.ModelViewSet):
    """Days on which the official calendar departs from the statutory rule, with their legal basis.

    Filter with `year`. Changes go through the calendar services: they are validated (an override
    must change the day it is on) and written to the audit trail.
    """

    serializer_class = CalendarOverrideSerializer
    permission_classes = [permissions.IsAuthenticated, CanEditCalendar]
    filterset_fields = ["kind", "legal_basis"]

    def get_queryset(self) -> Any:
        queryset = CalendarOverride.objects.select_related("legal_basis").order_by("date")
        year = self.request.query_params.get("year")
        if year:
            # Only years the calendar covers: 0, 99999 or a 23-digit number would fail in the date
            # lookup itself (a server error) instead of being refused.
            if not (
                year.isdigit() and len(year) == 4 and calendar.FIRST_YEAR <= int(year) <= calendar.LAST_YEAR
            ):
                raise ValidationError(
                    {
                        "year": _("Give a year the calendar covers, from %(first)s to %(last)s, e.g. 2026.")
                        % {"first": calendar.FIRST_YEAR, "last": calendar.LAST_YEAR}
                    }
                )
            queryset = queryset.filter(date__year=int(year))
        return queryset

    @extend_schema(parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="only this year")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        serializer.instance = services.add_override(actor=self.request.user, reason=reason, **data)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        serializer.instance = services.update_override(
            actor=self.request.user, override=serializer.instance, reason=reason, **data
        )

    def perform_destroy(self, instance: CalendarOverride) -> None:
        services.delete_override(
            actor=self.request.user, override=instance, reason=self.request.query_params.get("reason", "")
        )


# One answer, not a list: drf-spectacular would describe the `list` action's answer as an array.
@extend_schema_serializer(many=False)
class CalculationSerializer(serializers.Serializer):
    """The calculator's answer."""

    start = serializers.DateField()
    start_is_working_day = serializers.BooleanField()
    n = serializers.IntegerField(required=False, help_text="working days added (when `n` was given)")
    result = serializers.DateField(required=False, help_text="the date `n` working days after `start`")
    end = serializers.DateField(required=False)
    working_days = serializers.IntegerField(required=False, help_text="working days in [start, end]")


def _date_param(request: Request, name: str) -> Any:
    raw = request.query_params.get(name)
    if not raw:
        return None
    field = serializers.DateField(input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    try:
        return field.to_internal_value(raw)
    except serializers.ValidationError:
        raise ValidationError(
            {name: _("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": raw}}
        ) from None


class WorkdayCalculationViewSet(viewsets.ViewSet):
    """Working-day arithmetic with the official calendar."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="Add or count working days",
        description=(
            "Says whether `start` (default: today) is a working day. "
            "With `n`: the date `n` working days after `start` (the start day is not counted). "
            "With `end`: the number of working days from `start` to `end`, both included. "
            "Both may be given at once."
        ),
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, description="YYYY-MM-DD; default today"),
            OpenApiParameter("n", OpenApiTypes.INT, description="working days to add, 0 or more"),
            OpenApiParameter(
                "end", OpenApiTypes.DATE, description="last day of the range to count, YYYY-MM-DD"
            ),
        ],
        responses=CalculationSerializer,
        examples=[
            OpenApiExample(
                "Cộng 5 ngày làm việc và đếm ngày làm việc trong tháng",
                value={
                    "start": "2026-01-05",
                    "start_is_working_day": True,
                    "n": 5,
                    "result": "2026-01-12",
                    "end": "2026-01-31",
                    "working_days": 20,
                },
                response_only=True,
            )
        ],
    )
    def list(self, request: Request) -> Response:
        start = _date_param(request, "start") or timezone.localdate()
        end = _date_param(request, "end")
        raw_n = request.query_params.get("n")
        answer: dict[str, Any] = {"start": start}
        try:
            answer["start_is_working_day"] = calendar.is_working_day(start)
            if raw_n is not None:
                if not raw_n.strip().isdigit():
                    raise ValidationError({"n": _("`n` must be a whole number of working days, 0 or more.")})
                answer["n"] = int(raw_n)
                answer["result"] = calendar.add_working_days(start, answer["n"])
            if end is not None:
                answer["end"] = end
                answer["working_days"] = calendar.working_days_between(start, end)
        except ValueError as error:
            raise ValidationError({"detail": str(error)}) from None
        return Response(CalculationSerializer(answer).data)


def register(router: Any) -> None:
    """Registers the calendar endpoints on the API router."""
    router.register("workdays/overrides", CalendarOverrideViewSet, basename="workdays-override")
    router.register("workdays/calc", WorkdayCalculationViewSet, basename="workdays-calc")
