"""The REST API pieces of core: the error format every endpoint shares, and the read-only audit trail."""

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cchc.core.models import AuditEntry


def exception_handler(exc, context):
    """Every API error is JSON with a `detail` a person can act on; service validation errors become 400."""
    if isinstance(exc, DjangoValidationError):
        messages = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(messages, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(_("You do not have permission to do this."))
    return drf_exception_handler(exc, context)


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


def schema_without_aliases(endpoints, **kwargs):
    """drf-spectacular hook: leave out a path kept only as an alias of the same path with a trailing slash.

    The national portal posts dossier batches without the slash (cchc.urls); documenting both would
    describe one operation twice under two operation ids.
    """
    slashed = {(path, method) for path, _regex, method, _view in endpoints if path.endswith("/")}
    return [
        endpoint
        for endpoint in endpoints
        if endpoint[0].endswith("/") or (endpoint[0] + "/", endpoint[2]) not in slashed
    ]
