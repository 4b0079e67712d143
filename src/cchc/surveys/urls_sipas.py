"""Routes of the SIPAS staff pages. No app_name: `cchc.surveys.urls` includes them in the "surveys"
namespace."""

from django.urls import path

from cchc.surveys import views_sipas, views_sipas_entry

urlpatterns = [
    path("", views_sipas.campaigns, name="campaigns"),
    path("campaigns/<int:pk>/", views_sipas.campaign, name="campaign"),
    path("campaigns/<int:pk>/status/", views_sipas.campaign_status, name="campaign-status"),
    path("campaigns/<int:pk>/results.xlsx", views_sipas.results_xlsx, name="results-xlsx"),
    path("campaigns/<int:pk>/report.docx", views_sipas.report_docx, name="report-docx"),
    path("campaigns/<int:pk>/links/", views_sipas_entry.campaign_links, name="campaign-links"),
    path("campaigns/<int:pk>/qr/<int:unit_pk>.svg", views_sipas_entry.qr_code, name="qr-code"),
    path("campaigns/<int:pk>/invitations/", views_sipas_entry.invitations, name="invitations"),
    path("campaigns/<int:pk>/entry/", views_sipas_entry.response_entry, name="response-entry"),
    path("campaigns/<int:pk>/import/", views_sipas_entry.responses_import, name="responses-import"),
]
