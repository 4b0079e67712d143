"""One-stop pages under /onestop/ in the "onestop" namespace."""

from django.urls import path

from cchc.onestop import views, views_dossiers, views_imports

app_name = "onestop"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dossiers/", views_dossiers.dossier_list, name="dossiers"),
    path("dossiers/<int:pk>/", views_dossiers.dossier_detail, name="dossier"),
    path("overdue/", views_dossiers.overdue, name="overdue"),
    path("procedures/", views_dossiers.procedure_list, name="procedures"),
    path("imports/", views_imports.imports, name="imports"),
    path("imports/<int:pk>/", views_imports.import_job, name="import-job"),
    path("imports/<int:pk>/status/", views_imports.import_job_status, name="import-job-status"),
    path("imports/<int:pk>/errors/", views_imports.import_errors, name="import-errors"),
    path("index/", views.service_index, name="index"),
]
