"""API for plans, targets, tasks, progress updates and measurements. Writes go through the services."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from cchc.core import untrusted
from cchc.core.periods import Period
from cchc.kit.downloads import XLSX, download
from cchc.plans import api_examples as examples
from cchc.plans import queries, spreadsheet
from cchc.plans.models import Measurement, Plan, Target, Task, TaskUpdate
from cchc.plans.services import plans as plan_services
from cchc.plans.services import tasks as task_services
from cchc.units.models import Unit

UPLOAD_SCHEMA = {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = [
            "id",
            "issuing_unit",
            "number",
            "title",
            "issued_on",
            "year_from",
            "year_to",
            "parent",
            "status",
        ]
        read_only_fields = ["number", "issued_on", "status"]


class UnitValueSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    value = serializers.DecimalField(max_digits=14, decimal_places=3)


class TargetSerializer(serializers.ModelSerializer):
    unit_values = serializers.SerializerMethodField()

    def get_unit_values(self, target) -> list[dict]:
        return [{"unit": row.unit_id, "value": str(row.value)} for row in target.unit_values.all()]

    class Meta:
        model = Target
        fields = [
            "id",
            "plan",
            "area",
            "code",
            "text",
            "measure",
            "comparator",
            "value",
            "unit",
            "scope_types",
            "data_source",
            "baseline",
            "parent",
            "unit_values",
        ]
        read_only_fields = ["parent"]


class TaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "area",
            "code",
            "text",
            "lead_unit",
            "coordinating_units",
            "deadline_kind",
            "deadline",
            "expected_product",
            "status",
            "progress",
            "parent",
        ]
        read_only_fields = ["status", "progress", "parent"]


class TaskUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskUpdate
        fields = [
            "id",
            "task",
            "reported_by",
            "reported_at",
            "status",
            "progress",
            "narrative",
            "state",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
        ]
        read_only_fields = [
            "reported_by",
            "reported_at",
            "state",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
        ]


class MeasurementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measurement
        fields = [
            "id",
            "target",
            "unit",
            "period",
            "numerator",
            "denominator",
            "note",
            "entered_by",
            "entered_at",
        ]
        read_only_fields = ["entered_by", "entered_at"]


class ReviewSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class IssueSerializer(serializers.Serializer):
    number = serializers.CharField()
    issued_on = serializers.DateField()


class CascadeSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())


class ReadingSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    period = serializers.CharField(source="period.key")
    numerator = serializers.DecimalField(
        max_digits=16, decimal_places=3, source="ratio.numerator", allow_null=True
    )
    denominator = serializers.DecimalField(
        max_digits=16, decimal_places=3, source="ratio.denominator", allow_null=True
    )
    value = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    goal = serializers.DecimalField(max_digits=14, decimal_places=3)
    state = serializers.CharField()


class WorkbookUploadSerializer(serializers.Serializer):
    """The workbook to import (a plan's export, filled in), sent as multipart/form-data."""

    file = serializers.FileField()


class ImportRowErrorSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    """What a workbook import did. A refused workbook is a 400 with the same fields and `errors`."""

    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = ImportRowErrorSerializer(many=True)


@extend_schema_view(**examples.PLAN_VIEW)
class PlanViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PlanSerializer
    filterset_fields = ["issuing_unit", "parent", "status", "year_from"]

    def get_queryset(self):
        return Plan.objects.for_user(self.request.user).order_by("-year_from", "id")

    def perform_create(self, serializer):
        serializer.instance = plan_services.create_plan(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=IssueSerializer, responses=PlanSerializer, examples=examples.ISSUE)
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        plan = self.get_object()  # first, so that a plan out of scope is a 404 whatever the body
        data = IssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = plan_services.issue_plan(actor=request.user, plan=plan, **data.validated_data)
        return Response(PlanSerializer(plan).data)

    @extend_schema(request=CascadeSerializer, responses=PlanSerializer, examples=examples.CASCADE)
    @action(detail=True, methods=["post"])
    def cascade(self, request, pk=None):
        parent = self.get_object()  # first, so that a plan out of scope is a 404 whatever the body
        data = CascadeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = plan_services.cascade_plan(actor=request.user, parent=parent, unit=data.validated_data["unit"])
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, XLSX): bytes})
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        plan = self.get_object()
        return download(spreadsheet.export_plan(plan), f"ke-hoach-{plan.pk}.xlsx", XLSX)

    @extend_schema(
        request={"multipart/form-data": WorkbookUploadSerializer},
        responses={
            200: ImportResultSerializer,
            413: OpenApiResponse(description="The file is larger than the upload limit."),
        },
        examples=examples.IMPORT,
    )
    @action(detail=True, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_workbook(self, request, pk=None):
        plan = self.get_object()
        # Who may change the plan is settled before the upload is even looked at: a viewer's file is
        # never parsed, however large or hostile.
        plan_services.require_plan_editor(request.user, plan)
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": _("Choose an XLSX file.")})
        try:
            untrusted.check_size(upload.size)
        except untrusted.UntrustedFile as error:
            return Response({"detail": str(error)}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        result = spreadsheet.import_plan(actor=request.user, plan=plan, content=upload.read())
        body = {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "errors": [{"sheet": s, "row": r, "column": c, "message": m} for s, r, c, m in result.errors],
        }
        return Response(body, status=status.HTTP_200_OK if result.ok else status.HTTP_400_BAD_REQUEST)


@extend_schema_view(**examples.TARGET_VIEW)
class TargetViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TargetSerializer
    filterset_fields = ["plan", "area", "data_source"]

    def get_queryset(self):
        return (
            Target.objects.for_user(self.request.user)
            .prefetch_related("unit_values")
            .order_by("plan", "order", "id")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        plan = data.pop("plan")
        if not Plan.objects.for_user(self.request.user).filter(pk=plan.pk).exists():
            raise ValidationError({"plan": _("Plan not found.")})
        serializer.instance = plan_services.add_target(actor=self.request.user, plan=plan, **data)

    @extend_schema(request=UnitValueSerializer, responses=TargetSerializer, examples=examples.UNIT_VALUE)
    @action(detail=True, methods=["post"], url_path="unit-value")
    def unit_value(self, request, pk=None):
        """Set one unit's own value of this target."""
        target = self.get_object()
        data = UnitValueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan_services.set_unit_value(actor=request.user, target=target, **data.validated_data)
        return Response(TargetSerializer(self.get_object()).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", int),
            OpenApiParameter("period", str, description="YYYY, YYYY-Qn, …"),
        ],
        responses=ReadingSerializer,
        examples=examples.READING,
    )
    @action(detail=True, methods=["get"])
    def reading(self, request, pk=None):
        """The value for a unit (default: the issuing unit) and period (default: the first year)."""
        target = self.get_object()
        unit_id = request.query_params.get("unit")
        if unit_id and not unit_id.isdigit():
            raise ValidationError({"unit": _("“%(value)s” is not a unit id.") % {"value": unit_id}})
        unit = (
            get_object_or_404(Unit.objects.for_user(request.user), pk=unit_id)
            if unit_id
            else target.plan.issuing_unit
        )
        try:
            period = Period.parse(request.query_params.get("period") or str(target.plan.year_from))
        except ValueError as error:
            raise ValidationError({"period": str(error)}) from None
        return Response(ReadingSerializer(queries.read_target(target, unit, period)).data)


@extend_schema_view(**examples.TASK_VIEW)
class TaskViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TaskSerializer
    filterset_fields = ["plan", "area", "lead_unit", "status", "deadline_kind"]

    def get_queryset(self):
        return (
            Task.objects.for_user(self.request.user)
            .prefetch_related("coordinating_units")
            .order_by("plan", "order", "id")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        plan = data.pop("plan")
        if not Plan.objects.for_user(self.request.user).filter(pk=plan.pk).exists():
            raise ValidationError({"plan": _("Plan not found.")})
        serializer.instance = task_services.add_task(actor=self.request.user, plan=plan, **data)


@extend_schema_view(**examples.TASK_UPDATE_VIEW)
class TaskUpdateViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TaskUpdateSerializer
    filterset_fields = ["task", "state"]

    def get_queryset(self):
        return TaskUpdate.objects.for_user(self.request.user).order_by("-reported_at", "-id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        task = data.pop("task")
        if not Task.objects.for_user(self.request.user).filter(pk=task.pk).exists():
            raise ValidationError({"task": _("Task not found.")})
        serializer.instance = task_services.report_progress(actor=self.request.user, task=task, **data)

    @extend_schema(request=ReviewSerializer, responses=TaskUpdateSerializer, examples=examples.REVIEW)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        update = self.get_object()
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        update = task_services.review_update(actor=request.user, update=update, **data.validated_data)
        return Response(TaskUpdateSerializer(update).data)


@extend_schema_view(**examples.MEASUREMENT_VIEW)
class MeasurementViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = MeasurementSerializer
    filterset_fields = ["target", "unit", "period"]

    def get_queryset(self):
        return Measurement.objects.for_user(self.request.user).order_by("id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        if not Target.objects.for_user(self.request.user).filter(pk=data["target"].pk).exists():
            raise ValidationError({"target": _("Target not found.")})
        serializer.instance = plan_services.record_measurement(actor=self.request.user, **data)


def register(router) -> None:
    router.register("plans", PlanViewSet, basename="plan")
    router.register("targets", TargetViewSet, basename="target")
    router.register("tasks", TaskViewSet, basename="task")
    router.register("task-updates", TaskUpdateViewSet, basename="task-update")
    router.register("measurements", MeasurementViewSet, basename="measurement")
