"""API for units: listing honours the caller's scope; `as_of` and `code` filters follow code history."""

import django_filters
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from cchc.units import queries
from cchc.units.models import Unit, UnitCode, UnitType
from cchc.units.views.units import parse_day


class UnitCodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = UnitCode
        fields = ["code", "valid_from", "valid_to"]


class UnitSerializer(serializers.ModelSerializer):
    codes = UnitCodeSerializer(many=True, read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "type", "kind", "code", "parent", "valid_from", "valid_to", "depth", "codes"]


class InheritorSerializer(serializers.Serializer):
    unit = UnitSerializer()
    share = serializers.DecimalField(max_digits=9, decimal_places=6)


class UnitFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=UnitType.choices)
    as_of = django_filters.CharFilter(method="filter_as_of", label="as_of (YYYY-MM-DD or dd/mm/yyyy)")
    code = django_filters.CharFilter(method="filter_code")
    within = django_filters.NumberFilter(
        method="filter_within", label="within (unit id: that unit and below)"
    )

    class Meta:
        model = Unit
        fields = ["type", "parent"]

    def _day(self):
        raw = self.data.get("as_of")
        day, error = parse_day(raw)
        if error:
            raise ValidationError({"as_of": error})
        return day

    def filter_as_of(self, queryset, name, value):
        return queryset.active_on(self._day())

    def filter_code(self, queryset, name, value):
        return queryset.filter(pk__in=Unit.objects.by_code(value, self._day()).values("pk"))

    def filter_within(self, queryset, name, value):
        root = Unit.objects.filter(pk=value).first()
        return queryset.subtree(root) if root else queryset.none()


UNIT_EXAMPLE = {
    "id": 6,
    "name": "Xã Tây",
    "type": "commune",
    "kind": "Xã",
    "code": "99002",
    "parent": 1,
    "valid_from": "2025-07-01",
    "valid_to": None,
    "depth": 1,
    "codes": [{"code": "99002", "valid_from": "2025-07-01", "valid_to": None}],
}
UNIT_EXAMPLES = [OpenApiExample("Xã Tây", value=UNIT_EXAMPLE, response_only=True)]


@extend_schema_view(
    list=extend_schema(examples=UNIT_EXAMPLES), retrieve=extend_schema(examples=UNIT_EXAMPLES)
)
class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Units in the caller's scope, with their code history."""

    serializer_class = UnitSerializer
    filterset_class = UnitFilter

    def get_queryset(self):
        return Unit.objects.for_user(self.request.user).prefetch_related("codes").order_by("path")

    @extend_schema(
        responses=InheritorSerializer(many=True),
        examples=[
            OpenApiExample(
                "Xã Cũ nhập vào Xã Tây",
                value=[{"unit": UNIT_EXAMPLE, "share": "1.000000"}],
                response_only=True,
            )
        ],
    )
    @action(detail=True)
    def inheritors(self, request, pk=None):
        """Units active on `as_of` (default today) that continue this one, with the share each inherits."""
        # Not get_object(): the list filters (as_of) must not hide the old unit being asked about.
        # DRF's get_object_or_404: an id that is not a number is 404, not a server error (fuzzing).
        unit = get_object_or_404(self.get_queryset(), pk=pk)
        day, error = parse_day(request.query_params.get("as_of"))
        if error:
            raise ValidationError({"as_of": error})
        rows = queries.inheritors(unit, day or timezone.localdate())
        return Response(
            InheritorSerializer([{"unit": heir, "share": share} for heir, share in rows], many=True).data
        )
