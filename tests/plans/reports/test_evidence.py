"""Evidence files: PDF, DOCX, XLSX and images up to 20 MB, whose content matches their name."""

import io

import docx
import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from cchc.core.models import AuditEntry
from cchc.plans.services import reports
from tests.conftest import uploaded

# The services' messages are checked in their English source text; pages show them in Vietnamese.
pytestmark = pytest.mark.usefixtures("english")


def _docx_bytes():
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


def _xlsx_bytes():
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def _save(report, user, upload):
    return reports.save_report(
        actor=user, report=report, narrative="Có minh chứng", task_lines=[], evidence=upload
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bien-ban.pdf", b"%PDF-1.7\n..."),
        ("bao-cao.docx", _docx_bytes()),
        ("so-lieu.xlsx", _xlsx_bytes()),
        ("anh.PNG", b"\x89PNG\r\n\x1a\n...."),
        ("anh.jpg", b"\xff\xd8\xff\xe0...."),
    ],
)
def test_accepted_kinds_of_evidence_are_stored(report, justice_focal, name, content):
    report = _save(report, justice_focal, uploaded(name, content))
    assert report.evidence.name.startswith("plans/reports/")
    assert report.evidence.read() == content
    entry = AuditEntry.objects.for_object(report).get(action="report.save")
    assert entry.after["evidence"] == report.evidence.name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ....", "PDF, DOCX, XLSX, PNG or JPEG"),
        ("gia.pdf", b"<html>not a pdf</html>", "not that of a PDF"),
        ("zip-bat-ky.docx", _xlsx_bytes(), "not that of a DOCX"),  # a ZIP, but a workbook, not a document
        ("hong.xlsx", b"PK\x03\x04broken", "not that of a XLSX"),
    ],
)
def test_evidence_of_the_wrong_kind_is_refused(report, justice_focal, name, content, message):
    with pytest.raises(ValidationError, match=message):
        _save(report, justice_focal, uploaded(name, content))
    report.refresh_from_db()
    assert not report.evidence


def test_evidence_larger_than_20_mb_is_refused(report, justice_focal):
    too_big = uploaded("lon.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024 - 4))
    with pytest.raises(ValidationError, match="20 MB"):
        _save(report, justice_focal, too_big)
    just_right = uploaded("vua.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024 - 5))
    assert _save(report, justice_focal, just_right).evidence
