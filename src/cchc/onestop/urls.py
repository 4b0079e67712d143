"""One-stop pages under /onestop/ in the "onestop" namespace."""

from django.urls import path

from cchc.onestop.views import dashboard, dossiers, feed, imports, index, procedures

app_name = "onestop"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("dossiers/", dossiers.dossier_list, name="dossiers"),
    path("dossiers/<int:pk>/", dossiers.dossier_detail, name="dossier"),
    path("overdue/", dossiers.overdue, name="overdue"),
    path("procedures/", procedures.procedure_list, name="procedures"),
    path("imports/", imports.imports, name="imports"),
    path("imports/<int:pk>/", imports.import_job, name="import-job"),
    path("imports/<int:pk>/status/", imports.import_job_status, name="import-job-status"),
    path("imports/<int:pk>/cancel/", imports.cancel_import_job, name="import-cancel"),
    path("imports/<int:pk>/errors/", imports.import_errors, name="import-errors"),
    path("index/", index.service_index, name="index"),
    path("feed/", feed.feed, name="feed"),
    path("feed/<int:pk>/", feed.feed_source, name="feed-source"),
    path("feed/<int:pk>/run/", feed.feed_run_now, name="feed-run-now"),
    path("feed/runs/<int:pk>/", feed.feed_run, name="feed-run"),
]
