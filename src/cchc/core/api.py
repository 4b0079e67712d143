"""The REST API pieces of core: the error format every endpoint shares, and the read-only audit trail."""

import re

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cchc.core.models import AuditEntry

# DRF's parsers word their errors in English outside gettext ("JSON parse error - Expecting value: line
# 1 column 1 (char 0)"); the position is kept, the rest is said again in the caller's language.
JSON_ERROR_PREFIX = "JSON parse error - "
JSON_POSITION = re.compile(r"line (\d+) column (\d+)")
MULTIPART_ERROR_PREFIX = "Multipart form parse error - "


def exception_handler(exc, context):
    """Every API error is JSON with a `detail` a person can act on, in the caller's language (the site's,
    Vietnamese, unless they chose English); service validation errors become 400."""
    if isinstance(exc, DjangoValidationError):
        messages = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(messages, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(_("You do not have permission to do this."))
    if isinstance(exc, Http404):
        # DRF would pass on Django's text ("No Plan matches the given query."): English, and it names
        # the model. An object out of the caller's scope must read exactly like one that does not exist.
        exc = exceptions.NotFound(_("Not found."))
    if isinstance(exc, exceptions.ParseError):
        exc = _parse_error_in_words(exc)
    return drf_exception_handler(exc, context)


def _parse_error_in_words(exc: exceptions.ParseError) -> exceptions.ParseError:
    """The parser's refusal said through gettext; a ParseError raised with our own words is kept."""
    detail = str(exc.detail)
    if detail.startswith(JSON_ERROR_PREFIX):
        position = JSON_POSITION.search(detail)
        if position is None:
            return exceptions.ParseError(_("The body is not valid JSON."))
        line, column = position.groups()
        return exceptions.ParseError(
            _("The body is not valid JSON: the error is at line %(line)s, column %(column)s.")
            % {"line": line, "column": column}
        )
    if detail.startswith(MULTIPART_ERROR_PREFIX):
        return exceptions.ParseError(_("The multipart form in the body could not be read."))
    return exc


class AuditEntrySerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "actor_label",
            "via",
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


AUDIT_EXAMPLES = [
    OpenApiExample(
        "Đổi hạn nhiệm vụ",
        value={
            "id": 128,
            "at": "2026-03-02T08:15:00+07:00",
            "actor": 2,
            "actor_label": "Nguyễn Thị Quản Trị",
            "via": "",
            "action": "task.update",
            "object_type": "plans.task",
            "object_id": "14",
            "object_repr": "Rà soát thủ tục hành chính",
            "unit": 3,
            "before": {"deadline": "2026-06-30"},
            "after": {"deadline": "2026-07-31"},
            "reason": "Điều chỉnh theo Kế hoạch số 45/KH-UBND",
        },
        response_only=True,
    )
]


@extend_schema_view(
    list=extend_schema(examples=AUDIT_EXAMPLES), retrieve=extend_schema(examples=AUDIT_EXAMPLES)
)
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


# The answers every operation may give besides its own, with the Vietnamese text a client will read.
# drf-spectacular documents only the success; a client (and schemathesis) must find the errors too.
ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
    "description": "What went wrong, in Vietnamese; a refused form also names each field with its problems.",
}
COMMON_ERRORS = {
    "400": ("Dữ liệu gửi lên không hợp lệ.", "Dữ liệu gửi lên có lỗi; từng trường sai được nêu kèm."),
    "401": ("Chưa đăng nhập.", "Thiếu hoặc sai khoá API."),
    "403": ("Không có quyền.", "Bạn không có quyền thực hiện thao tác này."),
    "404": ("Không tìm thấy (hoặc ngoài phạm vi của bạn).", "Không tìm thấy."),
    "405": ("Phương thức không được hỗ trợ.", "Phương thức không được hỗ trợ."),
    "406": ("Không trả được định dạng yêu cầu.", "Không trả được định dạng yêu cầu."),
    "415": ("Kiểu nội dung không được hỗ trợ.", "Kiểu nội dung không được hỗ trợ."),
    "429": ("Gửi quá nhiều yêu cầu.", "Bạn gửi quá nhiều yêu cầu, hãy thử lại sau."),
}
WRITE_ONLY_ERRORS = {"400", "415"}


def schema_with_errors(result, generator, request, public):
    """drf-spectacular hook: every operation documents the error answers it may give, with an example."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for code, (description, example) in COMMON_ERRORS.items():
                if code in WRITE_ONLY_ERRORS and method == "get" and not operation.get("parameters"):
                    continue
                if code in responses and responses[code].get("content"):
                    continue
                responses[code] = {
                    "description": responses.get(code, {}).get("description") or description,
                    "content": {
                        "application/json": {
                            "schema": reference,
                            "examples": {"loi": {"value": {"detail": example}}},
                        }
                    },
                }
    return result
