"""The unit import page: upload a CSV or XLSX file, see every bad row or what was created."""

import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from cchc.core.scoping import ADMINISTER, has_any_permission
from cchc.core.tables import headings_row
from cchc.units.services import importing

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class UnitImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))
    check_only = forms.BooleanField(label=_("Only check the file, save nothing"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if importing.file_format(upload.name) is None:
            raise forms.ValidationError(_("Only CSV and XLSX files can be imported."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB; split it into smaller files."))
        return upload


def _require_administrator(user) -> None:
    if not has_any_permission(user, ADMINISTER):
        raise PermissionDenied


@login_required
def import_units(request):
    _require_administrator(request.user)
    result = None
    if request.method == "POST":
        form = UnitImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = importing.import_file(
                upload.read(), upload.name, actor=request.user, dry_run=form.cleaned_data["check_only"]
            )
    else:
        form = UnitImportForm()
    return render(
        request,
        "units/import.html",
        {"form": form, "result": result, "columns": headings_row(importing.COLUMNS, importing.HEADINGS)},
    )


@login_required
def import_template(request):
    """An empty file with the header row, as CSV or (with ?format=xlsx) as XLSX."""
    _require_administrator(request.user)
    table = [headings_row(importing.COLUMNS, importing.HEADINGS)]
    # The types are written here rather than taken from cchc.kit.downloads: units sit below the kit.
    if request.GET.get("format") == "xlsx":
        content, name = importing.xlsx_bytes(table), "units.xlsx"
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content, name, kind = importing.csv_bytes(table), "units.csv", "text/csv; charset=utf-8"
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=name, content_type=kind)
