"""Procedures and dossiers change only through imports (audited); here they are shown read-only."""

from django.contrib import admin

from cchc.onestop.models import Dossier, ImportJob, OfficialIndexScore, Procedure
from cchc.units.admin import ReadOnlyAdmin


@admin.register(Procedure)
class ProcedureAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "field", "time_limit", "time_unit", "online", "has_fee"]
    list_filter = ["online", "time_unit", "has_fee", "field"]
    search_fields = ["code", "name"]


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ["code", "procedure", "unit", "status", "received_at", "due_at", "finished_at", "outcome"]
    list_filter = ["status", "outcome", "channel"]
    search_fields = ["code"]
    list_select_related = ["procedure", "unit"]
    show_full_result_count = False  # counting millions of rows on every page is slow


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "kind",
        "original_name",
        "status",
        "rows",
        "created",
        "updated",
        "error_count",
    ]
    list_filter = ["kind", "status"]


@admin.register(OfficialIndexScore)
class OfficialIndexScoreAdmin(ReadOnlyAdmin):
    list_display = ["unit", "period", "code", "score", "imported_at"]
    list_filter = ["period", "code"]
