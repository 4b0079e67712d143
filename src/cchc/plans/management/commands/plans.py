"""`cchc plans extract FILE [--json]`: read a plan document into a draft plan to review.

More sub-commands join by adding a parser in `add_subcommands` and a `handle_<name>` method.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cchc.core.commands import SubcommandCommand
from cchc.plans.extraction import (
    ExtractedPlan,
    ScannedPdf,
    UnreadableDocument,
    UnsupportedFileType,
    extract,
    read_text,
)
from cchc.plans.extraction.numbers import json_number

SYMBOLS = {">=": "≥", ">": ">", "=": "=", "<=": "≤", "<": "<"}


class Command(SubcommandCommand):
    help = "Plans: read a plan document (DOCX, PDF with a text layer, or plain text) into a draft plan."

    def add_subcommands(self, subparsers: Any) -> None:
        extract_parser = subparsers.add_parser(
            "extract", help="Print the areas, targets and tasks found in a plan document."
        )
        extract_parser.add_argument("file", help="a .docx, .pdf (with a text layer) or .txt file")
        extract_parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print {areas, targets, tasks} as JSON"
        )

    def handle_extract(self, *, file: str, as_json: bool = False, **options: Any) -> None:
        plan = extract(read_plan_file(file))
        if as_json:
            self.print_json(plan.as_json())
        else:
            self.stdout.write(summary(plan))


def read_plan_file(file: str) -> str:
    """The document's text, or a CommandError that tells the user what to do about the file."""
    path = Path(file)
    if not path.is_file():
        raise CommandError(_("File not found: %(file)s") % {"file": file})
    try:
        return read_text(path)
    except ScannedPdf:
        raise CommandError(
            _(
                "%(file)s is a scanned PDF with no text layer: run it through OCR first, "
                "or use the DOCX the plan was written in."
            )
            % {"file": path.name}
        ) from None
    except UnsupportedFileType:
        raise CommandError(
            _("%(file)s is not a supported file type: use a .docx, .pdf (with a text layer) or .txt file.")
            % {"file": path.name}
        ) from None
    except UnreadableDocument:
        raise CommandError(
            _("%(file)s could not be read: it is damaged, password-protected or not what its name says.")
            % {"file": path.name}
        ) from None


def summary(plan: ExtractedPlan) -> str:
    """A short listing for a person: numbered areas, targets and tasks."""
    lines = [_("Areas (%(count)d):") % {"count": len(plan.areas)}]
    lines += [f"  {n}. {area.title}" for n, area in enumerate(plan.areas, 1)]
    lines.append(_("Targets (%(count)d):") % {"count": len(plan.targets)})
    for n, target in enumerate(plan.targets, 1):
        value = str(json_number(target.value)).replace(".", ",")
        unit = "" if target.unit == "%" else " "
        lines.append(f"  {n}. {SYMBOLS[target.comparator]} {value}{unit}{target.unit}: {target.text}")
    lines.append(_("Tasks (%(count)d):") % {"count": len(plan.tasks)})
    for n, task in enumerate(plan.tasks, 1):
        lines.append(f"  {n}. {task.text}")
        details = [
            (pgettext("task field", "lead"), task.lead_unit),
            (pgettext("task field", "coordinating"), ", ".join(task.coordinating_units)),
            (pgettext("task field", "deadline"), task.deadline),
            (pgettext("task field", "product"), task.product),
        ]
        shown = "; ".join(f"{label}: {value}" for label, value in details if value)
        if shown:
            lines.append(f"     {shown}")
    return "\n".join(lines)
