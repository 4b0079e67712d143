"""A plan document in text form is decoded strictly: bytes that are not text in the encoding found
refuse the file with a message, never turn into replacement characters in the plan's tasks."""

import pytest

from cchc.plans.extraction import read_text
from cchc.plans.extraction.reading import RefusedDocument

SENTENCE = "Kế hoạch cải cách hành chính năm 2026"


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + SENTENCE.encode() + b" \xff\xfe\xfa",  # a UTF-8 mark, then broken bytes
        SENTENCE.encode("utf-16-le") + b"\x00\xd8",  # UTF-16 without a mark, cut in a surrogate
        SENTENCE.encode("utf-8")[:20] + b" \x81\x8d\x9e ",  # neither UTF-8 nor Windows-1258
    ],
    ids=["utf-8-bom-broken", "utf-16-no-bom-broken", "undefined-in-cp1258"],
)
def test_text_that_does_not_decode_cleanly_is_refused(data):
    with pytest.raises(RefusedDocument) as refused:
        read_text(data, "ke-hoach.txt")
    assert "UTF-8" in str(refused.value)


def test_the_upload_page_says_why_the_text_was_refused(as_user, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cchc.plans.forms.imports import UploadForm

    upload = SimpleUploadedFile("ke-hoach.txt", SENTENCE.encode()[:20] + b" \x81\x8d ")
    form = UploadForm({"year_from": 2026}, {"file": upload}, user=cast["reform_admin"])
    assert not form.is_valid()
    assert "ke-hoach.txt" in str(form.errors["file"]) and "\ufffd" not in str(form.errors)
