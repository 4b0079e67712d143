"""Routes of the results, the comparison with last year, the official files, the criteria sets and the
survey. No app_name: `cchc.parindex.urls` includes them in the "parindex" namespace."""

from django.urls import path

from cchc.parindex import views_criteria, views_results, views_survey

urlpatterns = [
    path("campaigns/<int:pk>/ranking/", views_results.ranking, name="ranking"),
    path("campaigns/<int:pk>/comparison/", views_results.comparison, name="comparison"),
    path("campaigns/<int:pk>/results.xlsx", views_results.results_xlsx, name="results-xlsx"),
    path("campaigns/<int:pk>/annex.docx", views_results.annex_docx, name="annex-docx"),
    path("campaigns/<int:pk>/survey/", views_survey.survey, name="survey"),
    path("criteria/", views_criteria.criteria_sets, name="criteria-sets"),
    path("criteria/import/", views_criteria.criteria_import, name="criteria-import"),
    path("criteria/default/", views_criteria.criteria_default, name="criteria-default"),
    path("criteria/<int:pk>/", views_criteria.criteria_set, name="criteria-set"),
    path("criteria/<int:pk>/clone/", views_criteria.criteria_clone, name="criteria-clone"),
    path("criteria/<int:pk>/export/", views_criteria.criteria_export, name="criteria-export"),
]
