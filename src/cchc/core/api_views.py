"""Read-only API over the audit trail."""

import django_filters
from rest_framework import serializers, viewsets

from cchc.core.models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "unit",
            "before",
            "after",
            "reason",
        ]

    def get_object_type(self, entry) -> str:
        return f"{entry.object_type.app_label}.{entry.object_type.model}"


class AuditEntryFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(field_name="at", lookup_expr="date__lte")

    class Meta:
        model = AuditEntry
        fields = ["unit", "actor", "action", "object_id"]


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """Audit entries on units in the caller's scope. There is no way to change or delete one."""

    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilter

    def get_queryset(self):
        return AuditEntry.objects.for_user(self.request.user).select_related("object_type")
