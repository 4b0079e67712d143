"""API for procedures and dossiers: read scoped lists, send dossiers in batches, read statistics."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from cchc.accounts.permissions import ENTER, VIEW, has_any_permission
from cchc.core import untrusted
from cchc.onestop import api_examples as examples
from cchc.onestop import queries, services
from cchc.onestop.ingest.reading import UnreadableFile, records_from_json
from cchc.onestop.models import Dossier, Procedure
from cchc.units.models import Unit

MAX_BATCH = 10_000


class ProcedureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Procedure
        fields = [
            "id",
            "code",
            "name",
            "field",
            "level",
            "time_limit",
            "time_unit",
            "online",
            "has_fee",
            "written_result",
            "valid_from",
            "valid_to",
        ]


class DossierSerializer(serializers.ModelSerializer):
    procedure_code = serializers.CharField(source="procedure.code", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = Dossier
        fields = [
            "id",
            "code",
            "procedure",
            "procedure_code",
            "unit",
            "unit_code",
            "channel",
            "status",
            "received_at",
            "due_at",
            "due_computed",
            "finished_at",
            "returned_at",
            "supplements",
            "apology_at",
            "rescheduled_due_at",
            "apology_valid",
            "digitized",
            "e_result",
            "paid_online",
            "rating",
            "outcome",
            "overdue_from",
            "updated_at",
        ]


class BatchResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    error_count = serializers.IntegerField()
    applied = serializers.BooleanField()


COUNT_FIELDS = (
    "received",
    "finished",
    "finished_early",
    "finished_on_time",
    "finished_late",
    "pending",
    "pending_overdue",
)


class StatsSerializer(serializers.Serializer):
    """What `stats` answers (the figures of `cchc onestop stats --json`), for the schema: counts, then
    rates in percent, null when there is nothing to divide by."""

    unit = serializers.IntegerField()
    period = serializers.CharField()

    def get_fields(self):
        fields = super().get_fields()
        for name in COUNT_FIELDS:
            fields[name] = serializers.IntegerField()
        for name in queries.RATES:
            fields[name] = serializers.FloatField(allow_null=True)
        return fields


@extend_schema_view(**examples.PROCEDURE_VIEW)
class ProcedureViewSet(viewsets.ReadOnlyModelViewSet):
    """The list of procedures (public information: every signed-in user reads it)."""

    serializer_class = ProcedureSerializer
    queryset = Procedure.objects.all()
    filterset_fields = ["field", "online", "time_unit", "has_fee"]
    search_fields = ["code", "name"]


@extend_schema_view(**examples.DOSSIER_VIEW)
class DossierViewSet(viewsets.ReadOnlyModelViewSet):
    """Dossiers of the units the user may see; `batch` creates or updates dossiers of units they may enter."""

    serializer_class = DossierSerializer
    filterset_fields = ["unit", "procedure", "status", "channel", "outcome"]
    search_fields = ["code"]

    def get_queryset(self):
        return Dossier.objects.for_user(self.request.user).select_related("procedure", "unit").order_by("-id")

    @extend_schema(
        request={"application/json": {"type": "array", "items": {"type": "object"}}},
        responses={
            200: BatchResultSerializer,
            413: OpenApiResponse(description="The batch is larger than the upload limit."),
        },
        examples=examples.BATCH,
        description=(
            "Send up to 10,000 dossiers in the import columns (aliases of the national portal accepted). "
            "All or nothing: when any record is wrong nothing is saved and every problem is listed."
        ),
    )
    @action(detail=False, methods=["post"], url_path="batch")
    def batch(self, request):
        if not has_any_permission(request.user, ENTER):
            raise PermissionDenied(_("You may not enter dossiers for any unit."))
        # The body is measured before the JSON parser builds it in memory (DRF reads it unbounded).
        size = request.META.get("CONTENT_LENGTH") or "0"
        try:
            untrusted.check_size(int(size) if size.isdigit() else 0)
        except untrusted.UntrustedFile as error:
            return Response({"detail": str(error)}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        try:
            records = records_from_json(request.data)
        except UnreadableFile as error:
            raise ValidationError({"detail": str(error)}) from error
        if len(records) > MAX_BATCH:
            raise ValidationError(
                {
                    "detail": _("Send at most %(n)d dossiers at a time (this batch has %(count)d).")
                    % {"n": MAX_BATCH, "count": len(records)}
                }
            )
        try:
            result = services.import_dossiers(records, actor=request.user)
        except services.ImportRefused as error:
            # The permission is checked above: what is left is a batch that cannot be read (missing columns).
            raise ValidationError({"detail": str(error)}) from error
        except UnreadableFile as error:
            raise ValidationError({"detail": str(error)}) from error
        if not result.applied:
            errors = [
                {"row": row, "column": column, "message": message} for row, column, message in result.errors
            ]
            return Response(
                {
                    "detail": _("Nothing was saved: %(n)d record(s) have problems.")
                    % {"n": result.error_count},
                    **result.as_dict(),
                    "errors": errors,
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(result.as_dict())

    @extend_schema(
        parameters=[OpenApiParameter("unit", int), OpenApiParameter("period", str)],
        responses=StatsSerializer,
        examples=examples.STATS_EXAMPLES,
        description="The statistics of `cchc onestop stats` for a unit (and the units below it) and a "
        "period; by default the caller's topmost unit that exists today and the current year.",
    )
    @action(detail=False, methods=["get"], url_path="stats")
    def stats(self, request):
        visible = Unit.objects.for_user(request.user, VIEW)
        try:
            period = queries.parse_period(
                request.query_params.get("period") or str(timezone.localdate().year)
            )
            unit_id = request.query_params.get("unit")
            # Without a unit: the caller's topmost unit that exists today, as on the dashboard (not a
            # dissolved predecessor the caller may also read).
            unit = (
                get_object_or_404(visible, pk=int(unit_id))
                if unit_id
                else visible.active_on(timezone.localdate()).order_by("path").first()
                or visible.order_by("path").first()
            )
        except ValueError as error:
            raise ValidationError(
                {"detail": _("Give a unit id and a period (YYYY, YYYY-Qn or YYYY-MM).")}
            ) from error
        if unit is None:
            raise NotFound(_("You have no unit to read statistics of."))
        return Response({"unit": unit.pk, "period": period.key, **queries.unit_stats(unit, period).as_dict()})


def register(router) -> None:
    router.register("procedures", ProcedureViewSet, basename="procedure")
    router.register("dossiers", DossierViewSet, basename="dossier")
