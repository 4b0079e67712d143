"""URLs of the surveys module, in two namespaces, both included from the site root:

- "surveys": the staff pages under /surveys/ (SIPAS campaigns and results, citizen feedback);
- "public": the citizens' pages without an account, at the site root. Their paths are Vietnamese
  because citizens type them and read them on posters and QR codes.
"""

from django.urls import include, path

from cchc.surveys.views import feedback, feedback_stats, public, sipas, sipas_entry

staff_patterns = [
    path("", sipas.campaigns, name="campaigns"),
    path("campaigns/<int:pk>/", sipas.campaign, name="campaign"),
    path("campaigns/<int:pk>/status/", sipas.campaign_status, name="campaign-status"),
    path("campaigns/<int:pk>/results.xlsx", sipas.results_xlsx, name="results-xlsx"),
    path("campaigns/<int:pk>/report.docx", sipas.report_docx, name="report-docx"),
    path("campaigns/<int:pk>/links/", sipas_entry.campaign_links, name="campaign-links"),
    path("campaigns/<int:pk>/qr/<int:unit_pk>.svg", sipas_entry.qr_code, name="qr-code"),
    path("campaigns/<int:pk>/invitations/", sipas_entry.invitations, name="invitations"),
    path("campaigns/<int:pk>/entry/", sipas_entry.response_entry, name="response-entry"),
    path("campaigns/<int:pk>/import/", sipas_entry.responses_import, name="responses-import"),
    path("feedback/", feedback.feedback_list, name="feedback-list"),
    path("feedback/new/", feedback.feedback_new, name="feedback-new"),
    path("feedback/import/", feedback.feedback_import, name="feedback-import"),
    path("feedback/export.xlsx", feedback.feedback_xlsx, name="feedback-xlsx"),
    path("feedback/stats/", feedback_stats.feedback_stats, name="feedback-stats"),
    path("feedback/<int:pk>/", feedback.feedback_detail, name="feedback-detail"),
    path("feedback/<int:pk>/route/", feedback.feedback_route, name="feedback-route"),
    path("feedback/<int:pk>/refuse/", feedback.feedback_refuse, name="feedback-refuse"),
    path("feedback/<int:pk>/request-info/", feedback.feedback_request_info, name="feedback-request-info"),
    path("feedback/<int:pk>/info-received/", feedback.feedback_info_received, name="feedback-info-received"),
    path("feedback/<int:pk>/answer/", feedback.feedback_answer, name="feedback-answer"),
    path("feedback/<int:pk>/publish/", feedback.feedback_publish, name="feedback-publish"),
    path("feedback/<int:pk>/close/", feedback.feedback_close, name="feedback-close"),
]

public_patterns = [
    path("khao-sat/<str:token>/", public.survey, name="survey"),
    path("khao-sat/<str:token>/cam-on/", public.survey_done, name="survey-done"),
    path("phan-anh/", public.feedback, name="feedback"),
    path("phan-anh/da-gui/", public.feedback_done, name="feedback-done"),
    path("phan-anh/tra-cuu/", public.feedback_status, name="feedback-status"),
    path("phan-anh/danh-gia/", public.feedback_rate, name="feedback-rate"),
    path("phan-anh/mo-lai/", public.feedback_reopen, name="feedback-reopen"),
    path("phan-anh/da-tra-loi/", public.feedback_published, name="feedback-published"),
]

urlpatterns = [
    path("surveys/", include((staff_patterns, "surveys"))),
    path("", include((public_patterns, "public"))),
]
