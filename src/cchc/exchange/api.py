"""POST /api/v1/exchange/packages/ (`exchange-packages`): a province sends a package with its own token.

The only credential is the province's Bearer token (not a user's): without a valid one the answer is
401, for a signed-in person 403 (people do not send packages). The body is the package's bytes; the
answer is the import's outcome. Only a national instance (CCHC_NATIONAL) receives: elsewhere 404.
"""

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from cchc.exchange import importing, package
from cchc.exchange.models import ProvinceRegistration


def token_hash(token: str) -> str:
    """What is kept of a token: its SHA-256. The token is 32 random bytes (`secrets`), so a fast hash
    loses nothing (there is no dictionary to try), and the lookup by hash compares no secret itself."""
    return hashlib.sha256(token.encode()).hexdigest()


class ProvinceTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <province token>`: the request's `auth` is the province's registration."""

    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, ProvinceRegistration] | None:
        scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        registration = (
            ProvinceRegistration.objects.select_related("unit")
            .filter(token_hash=token_hash(token.strip()))
            .first()
        )
        if registration is None:
            raise exceptions.AuthenticationFailed(
                _("A valid province token is required (Authorization: Bearer …).")
            )
        return AnonymousUser(), registration

    def authenticate_header(self, request: Any) -> str:
        return f'{self.keyword} realm="exchange"'


class ProvinceTokenScheme(OpenApiAuthenticationExtension):
    """How the API documentation describes the province tokens."""

    target_class = "cchc.exchange.api.ProvinceTokenAuthentication"
    name = "provinceToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "The token `cchc exchange register-province` printed for the province.",
        }


class HasProvinceToken(BasePermission):
    """Only a province, by its token; a person signed in gets 403, nobody else gets 401."""

    message = gettext_lazy("Only a province's token can send exchange packages.")

    def has_permission(self, request: Any, view: Any) -> bool:
        return isinstance(request.auth, ProvinceRegistration)


OUTCOME = inline_serializer(
    "ExchangeOutcome",
    fields={
        "status": serializers.ChoiceField(choices=["accepted", importing.UNCHANGED, "refused"]),
        "revision": serializers.IntegerField(allow_null=True),
        "reason": serializers.CharField(),
        "message": serializers.CharField(),
    },
)
EXAMPLES = [
    OpenApiExample(
        "Gói tháng 10/2026",
        value="(tệp ZIP: manifest.json, manifest.sig, data/*.jsonl — docs/exchange.md)",
        request_only=True,
        media_type="application/zip",
    ),
    OpenApiExample(
        "Đã nhận",
        value={
            "status": "accepted",
            "revision": 2,
            "reason": "",
            "message": "Đã nhận, lần gửi thứ 2 của 2026-10.",
        },
        response_only=True,
        status_codes=["201"],
    ),
    OpenApiExample(
        "Không thay đổi",
        value={
            "status": "unchanged",
            "revision": 2,
            "reason": "",
            "message": "Đã nhận, không thay đổi (lần gửi thứ 2).",
        },
        response_only=True,
        status_codes=["200"],
    ),
    OpenApiExample(
        "Bị từ chối",
        value={
            "status": "refused",
            "revision": None,
            "reason": "hash_mismatch",
            "message": "data/metrics.jsonl không khớp mã băm trong tệp kê khai đã ký.",
        },
        response_only=True,
        status_codes=["422"],
    ),
]


class PackageReceiveView(APIView):
    """A province's signed exchange package (docs/exchange.md): checked whole, kept as a new revision
    (201), already received (200), or refused with its reason (422), nothing of it written."""

    authentication_classes = [ProvinceTokenAuthentication, SessionAuthentication]
    permission_classes = [HasProvinceToken]
    parser_classes: list[Any] = []  # the body is read as bytes, never parsed

    @extend_schema(
        summary="Send an exchange package (a province, to the national instance)",
        request={"application/zip": OpenApiTypes.BINARY},
        responses={
            201: OUTCOME,
            200: OUTCOME,
            413: OpenApiResponse(OUTCOME, description="Larger than CCHC_EXCHANGE_MAX_BYTES."),
            422: OUTCOME,
        },
        examples=EXAMPLES,
    )
    def post(self, request: Any) -> Response:
        if not getattr(settings, "CCHC_NATIONAL", False):
            raise exceptions.NotFound(_("Not found."))
        try:
            length = int(request.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if length > package.max_bytes():
            message = _("The package is larger than this instance accepts.")
            return Response(
                {"status": "refused", "revision": None, "reason": "too_large", "message": message}, 413
            )
        # Read the stream, not `request.body`: the body is a binary package, bounded by our own limit.
        stream = request.stream  # DRF's view of the raw body; None when the body is empty
        data = stream.read(package.max_bytes() + 1) if stream is not None else b""
        outcome = importing.receive(data, registration=request.auth, actor=None, via="api")
        status = {"accepted": 201, importing.UNCHANGED: 200}.get(outcome.status, 422)
        return Response(outcome.as_dict(), status=status)
