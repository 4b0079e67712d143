"""kit.downloads.stored_file: a FileField's file as an attachment, a 404 when there is none."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile, FileField
from django.http import Http404

from cchc.kit.downloads import stored_file


def field_file(name: str) -> FieldFile:
    return FieldFile(None, FileField(storage=default_storage), name)


def test_a_stored_file_downloads_under_its_base_name():
    name = default_storage.save("plans/evidence/2026/bien-ban-kiem-tra.pdf", ContentFile(b"%PDF-1.4 x"))
    response = stored_file(field_file(name))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"
    assert 'filename="bien-ban-kiem-tra.pdf"' in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")


def test_a_given_name_replaces_the_stored_one():
    name = default_storage.save("plans/x.pdf", ContentFile(b"%PDF-1.4"))
    response = stored_file(field_file(name), "Báo cáo.pdf")
    assert "filename*=utf-8''B%C3%A1o%20c%C3%A1o.pdf" in response["Content-Disposition"]


def test_an_empty_field_is_a_404():
    with pytest.raises(Http404):
        stored_file(field_file(""))


def test_a_file_gone_from_storage_is_a_404():
    name = default_storage.save("onestop/errors/loi.csv", ContentFile(b"row,message\n"))
    default_storage.delete(name)
    with pytest.raises(Http404):
        stored_file(field_file(name))


def test_the_type_can_be_named_when_the_name_does_not_say_it():
    name = default_storage.save("onestop/errors/loi.csv", ContentFile("hàng,lỗi\n".encode()))
    response = stored_file(field_file(name), content_type="text/csv; charset=utf-8")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert b"".join(response.streaming_content).decode() == "hàng,lỗi\n"
