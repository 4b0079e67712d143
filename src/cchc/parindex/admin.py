"""PAR Index data change through services (audited); the admin shows it read-only."""

from django.contrib import admin

from cchc.parindex.models import Band, Campaign, CriteriaSet, Criterion, Item, Result
from cchc.units.admin import ReadOnlyAdmin


@admin.register(CriteriaSet)
class CriteriaSetAdmin(ReadOnlyAdmin):
    list_display = ["year", "unit_type", "title", "verified"]
    list_filter = ["year", "unit_type"]


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    list_display = ["criteria_set", "code", "title", "max_points", "method", "threshold", "metric"]
    list_filter = ["criteria_set", "method"]
    search_fields = ["code", "title"]


@admin.register(Band)
class BandAdmin(ReadOnlyAdmin):
    list_display = ["year", "label", "min_index", "legal_basis"]
    list_filter = ["year"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["year", "title", "organiser", "phase", "published_on", "decision_number"]


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "criterion", "self_score", "appraised_score", "second_score", "version"]
    list_select_related = ["assessment__unit", "assessment__campaign", "criterion"]
    list_filter = ["assessment__campaign"]


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "unit", "unit_type", "score", "max_points", "rank", "band"]
    list_filter = ["campaign", "unit_type"]
