"""Checking uploaded evidence files (reports, remedies, PAR Index items): type, size and content."""

import zipfile
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
# Extension -> what the first bytes of such a file look like. DOCX and XLSX are ZIP packages and
# are checked further for the part that makes them a document or a workbook.
EVIDENCE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
PACKAGE_PARTS = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}


def check_evidence(upload: Any) -> None:
    """Accept PDF, DOCX, XLSX, PNG and JPEG files up to 20 MB whose content matches their name."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in EVIDENCE_SIGNATURES:
        raise ValidationError({"evidence": _("Evidence must be a PDF, DOCX, XLSX, PNG or JPEG file.")})
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({"evidence": _("The evidence file is larger than 20 MB.")})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_matches = head.startswith(EVIDENCE_SIGNATURES[suffix])
    if content_matches and suffix in PACKAGE_PARTS:
        try:
            with zipfile.ZipFile(upload) as package:
                content_matches = PACKAGE_PARTS[suffix] in package.namelist()
        except zipfile.BadZipFile:
            content_matches = False
        upload.seek(0)
    if not content_matches:
        raise ValidationError(
            {
                "evidence": _("The content of %(name)s is not that of a %(type)s file.")
                % {"name": upload.name, "type": suffix[1:].upper()}
            }
        )
