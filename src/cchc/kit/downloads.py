"""File downloads: the MIME types of the office formats and one way to answer with a file."""

import io
from pathlib import PurePosixPath
from typing import Any

from django.http import FileResponse, Http404

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
CSV = "text/csv; charset=utf-8"
JSON = "application/json"

# What an upload's extension says it is; imports use it to pick a reader.
BY_EXTENSION = {".xlsx": XLSX, ".docx": DOCX, ".pdf": PDF, ".csv": CSV, ".json": JSON}


def download(content: bytes, filename: str, content_type: str) -> FileResponse:
    """Answer with `content` as an attachment named `filename` (non-ASCII names are encoded by
    Django for the Content-Disposition header, so Vietnamese file names arrive intact)."""
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=content_type)


def stored_file(field_file: Any, filename: str = "", content_type: str | None = None) -> FileResponse:
    """Stream the file a model's FileField holds, as an attachment named `filename` or, by default,
    the stored file's base name; the type is `content_type` or guessed from the name. An empty field
    or a file gone from storage is a 404: there is nothing to download. Evidence, source documents
    and error reports go out this way, behind the page's own scoping, never from a public media
    address."""
    if not field_file:
        raise Http404
    name = filename or PurePosixPath(field_file.name).name
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
