"""The plans app's pages under /plans/ in the "plans" namespace: plans, targets and tasks, the
periodic reports (reports/), the inspections (inspections/) and the import of a plan document."""

from django.urls import path

from cchc.plans.views import dashboard, imports, inspections, plans, reports, tasks

app_name = "plans"
urlpatterns = [
    path("", plans.plan_list, name="plan-list"),
    path("<int:pk>/", plans.plan_detail, name="plan"),
    path("<int:pk>/dashboard/", dashboard.plan_dashboard, name="plan-dashboard"),
    path("<int:pk>/document/", plans.plan_document, name="plan-document"),
    path("<int:pk>/issue/", plans.plan_issue, name="plan-issue"),
    path("<int:pk>/cascade/", plans.plan_cascade, name="plan-cascade"),
    path("<int:pk>/areas/new/", plans.area_add, name="area-add"),
    path("<int:pk>/targets/new/", plans.target_add, name="target-add"),
    path("<int:pk>/tasks/new/", plans.task_add, name="task-add"),
    path("targets/<int:pk>/", plans.target_detail, name="target"),
    path("targets/<int:pk>/measurements/", plans.measurement_add, name="measurement-add"),
    path("tasks/<int:pk>/", tasks.task_detail, name="task"),
    path("tasks/<int:pk>/report/", tasks.progress_report, name="progress-report"),
    path("tasks/<int:pk>/deadline/", tasks.deadline_request, name="deadline-request"),
    path("updates/<int:pk>/review/", tasks.update_review, name="update-review"),
    path("updates/<int:pk>/evidence/", tasks.update_evidence, name="update-evidence"),
    path("deadline-changes/<int:pk>/decide/", tasks.deadline_decide, name="deadline-decide"),
    # Periodic reports
    path("reports/plan/<int:plan_pk>/", reports.report_rounds, name="report-rounds"),
    path("reports/round/<int:pk>/", reports.report_round, name="report-round"),
    path("reports/round/<int:schedule_pk>/start/", reports.report_start, name="report-start"),
    path("reports/round/<int:pk>/report.docx", reports.report_docx, name="report-docx"),
    path("reports/round/<int:pk>/annex.xlsx", reports.report_xlsx, name="report-xlsx"),
    path("reports/<int:pk>/", reports.report_detail, name="report-detail"),
    path("reports/<int:pk>/action/", reports.report_action, name="report-action"),
    path("reports/<int:pk>/evidence/", reports.report_evidence, name="report-evidence"),
    # Inspections
    path("inspections/", inspections.plan_list, name="inspection-plans"),
    path("inspections/plans/new/", inspections.plan_create, name="inspection-plan-create"),
    path("inspections/plans/<int:pk>/", inspections.plan_detail, name="inspection-plan"),
    path(
        "inspections/plans/<int:pk>/inspections/new/", inspections.inspection_create, name="inspection-create"
    ),
    path("inspections/<int:pk>/", inspections.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/record/", inspections.inspection_record, name="inspection-record"),
    path("inspections/<int:pk>/findings/new/", inspections.finding_create, name="finding-create"),
    path("inspections/findings/", inspections.finding_list, name="findings"),
    path("inspections/findings/<int:pk>/", inspections.finding_detail, name="finding"),
    path("inspections/findings/<int:pk>/action/", inspections.finding_action, name="finding-action"),
    # Importing a plan document
    path("import/", imports.upload, name="plan-import"),
    path("import/review/", imports.review, name="plan-import-review"),
]
