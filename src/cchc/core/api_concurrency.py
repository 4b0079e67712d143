"""Optimistic concurrency for the REST API: an ETag on every object read, If-Match required to change it.

Two officials (or two systems) may change the same thing: an appraiser and the reform office on one PAR
item, two clerks on one feedback. The API never lets the later write silently undo the earlier one:

- a GET of one object answers with `ETag`, a hash of what the caller was shown;
- a write to that object must send it back in `If-Match` (or `*` to overwrite knowingly);
- no `If-Match` at all is 428 (Precondition Required), a different one is 412 (Precondition Failed),
  and the body says in Vietnamese to read the object again.

The check and the write run in one transaction with the row locked, so two writes that both carry the
current ETag are serialised: the second sees the first one's result and gets 412.

Where a model keeps its own `version` (PAR items), the serializer exposes it and the service refuses an
older one; the view turns that refusal into 409 (Conflict) with `conflict_response`.
"""

import hashlib
import json

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"

    def __init__(self):
        super().__init__(
            _(
                "Send the ETag you read with this object in the If-Match header, so that a change made "
                "by someone else in the meantime is not overwritten."
            )
        )


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"

    def __init__(self):
        super().__init__(
            _(
                "Someone changed this object after you read it. Read it again, check their change and "
                "send yours with the new ETag."
            )
        )


def etag_of(data) -> str:
    """A strong ETag of a representation: the same JSON always gives the same tag."""
    encoded = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()
    return '"' + hashlib.sha256(encoded).hexdigest()[:32] + '"'


def _tags(header: str) -> set[str]:
    # A weak validator ("W/...") names the same representation for our purpose.
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def check_if_match(request, current_etag: str) -> None:
    """Raise 428 without If-Match and 412 when it names another version than `current_etag`."""
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired()
    tags = _tags(header)
    if "*" not in tags and current_etag not in tags:
        raise PreconditionFailed()


def conflict_response(message: str) -> Response:
    """409: the body named an older `version` than the stored one (models that keep a version)."""
    return Response({"detail": message}, status=status.HTTP_409_CONFLICT)


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the object as last read (GET), or * to overwrite whatever is stored.",
)

CONCURRENCY_RESPONSES = {
    412: OpenApiResponse(description="The object changed after it was read: read it again."),
    428: OpenApiResponse(description="The If-Match header is missing."),
}


class ETagMixin:
    """For DRF viewsets: ETag on retrieve and on every answer about one object; If-Match on writes.

    A write action calls `self.locked_object()` instead of `self.get_object()`: it checks scope (404),
    locks the row, checks If-Match against what the caller would read now, and must run inside
    `transaction.atomic()` (use `@ETagMixin.atomic`).
    """

    atomic = staticmethod(transaction.atomic)

    def etag_for(self, obj) -> str:
        return etag_of(self.get_serializer(obj).data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        data = self.get_serializer(obj).data
        return Response(data, headers={"ETag": etag_of(data)})

    def locked_object(self):
        obj = self.get_object()  # scope first: another unit's object is 404, whatever the headers
        # Outside a transaction the lock would end with its own query and the check-then-write race
        # would be open again; refuse loudly rather than check without the lock (tests run inside a
        # transaction and would never notice a missing `@ETagMixin.atomic`).
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("locked_object() must run inside transaction.atomic (@ETagMixin.atomic)")
        obj = self.get_queryset().select_for_update(of=("self",)).get(pk=obj.pk)
        check_if_match(self.request, self.etag_for(obj))
        return obj

    def answer_with_etag(self, obj, status_code=status.HTTP_200_OK) -> Response:
        """The object as the caller now reads it, with its new ETag for their next write."""
        obj.refresh_from_db()
        data = self.get_serializer(obj).data
        return Response(data, status=status_code, headers={"ETag": etag_of(data)})
