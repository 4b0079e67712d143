"""Inspection pages, included by the lead under /plans/inspections/ in the "plans" namespace."""

from django.urls import path

from cchc.plans import inspection_views as views

urlpatterns = [
    path("", views.plan_list, name="inspection-plans"),
    path("plans/new/", views.plan_create, name="inspection-plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="inspection-plan"),
    path("plans/<int:pk>/inspections/new/", views.inspection_create, name="inspection-create"),
    path("<int:pk>/", views.inspection_detail, name="inspection"),
    path("<int:pk>/record/", views.inspection_record, name="inspection-record"),
    path("<int:pk>/findings/new/", views.finding_create, name="finding-create"),
    path("findings/", views.finding_list, name="findings"),
    path("findings/<int:pk>/", views.finding_detail, name="finding"),
    path("findings/<int:pk>/action/", views.finding_action, name="finding-action"),
]
