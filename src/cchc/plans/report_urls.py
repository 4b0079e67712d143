"""Routes of the periodic reports. No app_name: the project includes them in the "plans" namespace
under /plans/reports/."""

from django.urls import path

from cchc.plans import report_views as views

urlpatterns = [
    path("plan/<int:plan_pk>/", views.report_rounds, name="report-rounds"),
    path("round/<int:pk>/", views.report_round, name="report-round"),
    path("round/<int:schedule_pk>/start/", views.report_start, name="report-start"),
    path("round/<int:pk>/report.docx", views.report_docx, name="report-docx"),
    path("round/<int:pk>/annex.xlsx", views.report_xlsx, name="report-xlsx"),
    path("<int:pk>/", views.report_detail, name="report-detail"),
    path("<int:pk>/action/", views.report_action, name="report-action"),
    path("<int:pk>/evidence/", views.report_evidence, name="report-evidence"),
]
