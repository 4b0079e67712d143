"""The API's optimistic-concurrency kit: ETags name a representation; If-Match is required and checked."""

import pytest
from rest_framework.test import APIRequestFactory

from cchc.core.api_concurrency import (
    ETagMixin,
    PreconditionFailed,
    PreconditionRequired,
    check_if_match,
    etag_of,
)

factory = APIRequestFactory()


def request_with(header: str | None):
    extra = {"HTTP_IF_MATCH": header} if header is not None else {}
    return factory.patch("/api/v1/x/1/", {}, **extra)


def test_the_same_representation_has_the_same_etag_and_any_change_another():
    first = etag_of({"score": "7.50", "reason": "Đủ hồ sơ", "version": 3})
    assert first == etag_of({"version": 3, "reason": "Đủ hồ sơ", "score": "7.50"})
    assert first != etag_of({"score": "7.75", "reason": "Đủ hồ sơ", "version": 3})
    assert first.startswith('"') and first.endswith('"')


def test_a_write_without_if_match_is_refused_with_428():
    with pytest.raises(PreconditionRequired) as refused:
        check_if_match(request_with(None), etag_of({"a": 1}))
    assert refused.value.status_code == 428
    assert "If-Match" in str(refused.value.detail)


def test_a_stale_etag_is_refused_with_412_and_the_current_one_passes():
    current, stale = etag_of({"a": 2}), etag_of({"a": 1})
    with pytest.raises(PreconditionFailed) as refused:
        check_if_match(request_with(stale), current)
    assert refused.value.status_code == 412
    check_if_match(request_with(current), current)
    check_if_match(request_with(f"{stale}, W/{current}"), current)  # a list, and a weak validator
    check_if_match(request_with("*"), current)


class _Shown:
    data = {"a": 1}


class _View(ETagMixin):
    """The least a viewset gives `locked_object`: the request, the object in scope, its serializer."""

    request = request_with("*")

    def get_object(self):
        return object()

    def get_serializer(self, obj):
        return _Shown()


def test_locked_object_outside_a_transaction_is_refused_not_checked_without_the_lock():
    # Without the transaction the row lock would end with its own query: the If-Match check and the
    # write would race again. No database here: nothing holds a transaction open.
    with pytest.raises(RuntimeError, match="atomic"):
        _View().locked_object()
