"""The plan-document extractor: a plan's file in, a draft plan (areas, targets, tasks) out.

    text = read_text("ke-hoach-cchc-2025.docx")
    plan = extract(text)
    plan.as_json()  # {"areas": [...], "targets": [...], "tasks": [...]}

Pure functions with no database access; rules and limits are described in docs/plan-import.md.
"""

from cchc.plans.extraction.model import Area, ExtractedPlan, Target, Task
from cchc.plans.extraction.plan import extract
from cchc.plans.extraction.reading import (
    DocumentError,
    ScannedPdf,
    UnreadableDocument,
    UnsupportedFileType,
    read_text,
)

__all__ = [
    "Area",
    "DocumentError",
    "ExtractedPlan",
    "ScannedPdf",
    "Target",
    "Task",
    "UnreadableDocument",
    "UnsupportedFileType",
    "extract",
    "read_text",
]
