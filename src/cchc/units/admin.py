"""Units are shown read-only here: they change through imports, the official loader and services."""

from django.contrib import admin

from cchc.units.models import Unit, UnitCode, UnitLineage


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UnitCodeInline(admin.TabularInline):
    model = UnitCode
    extra = 0
    can_delete = False
    readonly_fields = ["code", "valid_from", "valid_to", "legal_basis"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "type", "kind", "valid_from", "valid_to"]
    list_filter = ["type", "kind"]
    search_fields = ["name", "code", "codes__code"]
    inlines = [UnitCodeInline]


@admin.register(UnitLineage)
class UnitLineageAdmin(ReadOnlyAdmin):
    list_display = ["predecessor", "successor", "relation", "effective_date", "weight"]
    list_filter = ["relation", "effective_date"]
    search_fields = ["predecessor__name", "successor__name"]
