"""PAR Index pages under /parindex/ in the "parindex" namespace: campaigns and their scorecards (phases,
self-assessment, appraisal, explanation, evidence), results (ranking, comparison with last year, the
official files), the survey and the criteria sets."""

from django.urls import path

from cchc.parindex.views import campaigns, criteria, entry, items, results, survey

app_name = "parindex"
urlpatterns = [
    path("", campaigns.campaign_list, name="campaigns"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/deadlines/", campaigns.campaign_deadlines, name="campaign-deadlines"),
    path("campaigns/<int:pk>/advance/", campaigns.campaign_advance, name="campaign-advance"),
    path("assessments/<int:pk>/", items.scorecard, name="scorecard"),
    path("assessments/<int:pk>/submit/", items.assessment_submit, name="assessment-submit"),
    path("assessments/<int:pk>/accept/", items.assessment_accept, name="assessment-accept"),
    path("assessments/<int:pk>/areas/<int:area>/", entry.area_entry, name="area-entry"),
    path("assessments/<int:pk>/areas/<int:area>/save/", entry.area_save, name="area-save"),
    path("items/<int:pk>/entry/", entry.item_entry, name="item-entry"),
    path("items/<int:pk>/files/", entry.item_files, name="item-files"),
    path("items/<int:pk>/self/", items.item_self, name="item-self"),
    path("items/<int:pk>/evidence/", items.item_evidence, name="item-evidence"),
    path("items/<int:pk>/appraise/", items.item_appraise, name="item-appraise"),
    path("items/<int:pk>/explain/", items.item_explain, name="item-explain"),
    path("items/<int:pk>/second/", items.item_second, name="item-second"),
    path("items/<int:pk>/history/", items.item_history, name="item-history"),
    path("evidence/<int:pk>/", items.evidence_download, name="evidence"),
    path("campaigns/<int:pk>/ranking/", results.ranking, name="ranking"),
    path("campaigns/<int:pk>/comparison/", results.comparison, name="comparison"),
    path("campaigns/<int:pk>/results.xlsx", results.results_xlsx, name="results-xlsx"),
    path("campaigns/<int:pk>/annex.docx", results.annex_docx, name="annex-docx"),
    path("campaigns/<int:pk>/survey/", survey.survey, name="survey"),
    path("criteria/", criteria.criteria_sets, name="criteria-sets"),
    path("criteria/import/", criteria.criteria_import, name="criteria-import"),
    path("criteria/default/", criteria.criteria_default, name="criteria-default"),
    path("criteria/<int:pk>/", criteria.criteria_set, name="criteria-set"),
    path("criteria/<int:pk>/clone/", criteria.criteria_clone, name="criteria-clone"),
    path("criteria/<int:pk>/export/", criteria.criteria_export, name="criteria-export"),
]
