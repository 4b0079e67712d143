"""Plan pages under /plans/ in the "plans" namespace."""

from django.urls import include, path

from cchc.plans import dashboard_views, import_views, inspection_urls, plan_views, report_urls, task_views

app_name = "plans"
urlpatterns = [
    path("", plan_views.plan_list, name="plan-list"),
    path("<int:pk>/", plan_views.plan_detail, name="plan"),
    path("<int:pk>/dashboard/", dashboard_views.plan_dashboard, name="plan-dashboard"),
    path("<int:pk>/document/", plan_views.plan_document, name="plan-document"),
    path("<int:pk>/issue/", plan_views.plan_issue, name="plan-issue"),
    path("<int:pk>/cascade/", plan_views.plan_cascade, name="plan-cascade"),
    path("<int:pk>/areas/new/", plan_views.area_add, name="area-add"),
    path("<int:pk>/targets/new/", plan_views.target_add, name="target-add"),
    path("<int:pk>/tasks/new/", plan_views.task_add, name="task-add"),
    path("targets/<int:pk>/", plan_views.target_detail, name="target"),
    path("targets/<int:pk>/measurements/", plan_views.measurement_add, name="measurement-add"),
    path("tasks/<int:pk>/", task_views.task_detail, name="task"),
    path("tasks/<int:pk>/report/", task_views.progress_report, name="progress-report"),
    path("tasks/<int:pk>/deadline/", task_views.deadline_request, name="deadline-request"),
    path("updates/<int:pk>/review/", task_views.update_review, name="update-review"),
    path("updates/<int:pk>/evidence/", task_views.update_evidence, name="update-evidence"),
    path("deadline-changes/<int:pk>/decide/", task_views.deadline_decide, name="deadline-decide"),
    path("reports/", include(report_urls.urlpatterns)),
    path("inspections/", include(inspection_urls.urlpatterns)),
    path("import/", import_views.upload, name="plan-import"),
    path("import/review/", import_views.review, name="plan-import-review"),
]
