"""Staff pages of citizen feedback (PAKN), included in the "surveys" namespace under /surveys/."""

from django.urls import path

from cchc.surveys import views_feedback as views

urlpatterns = [
    path("feedback/", views.feedback_list, name="feedback-list"),
    path("feedback/new/", views.feedback_new, name="feedback-new"),
    path("feedback/import/", views.feedback_import, name="feedback-import"),
    path("feedback/export.xlsx", views.feedback_xlsx, name="feedback-xlsx"),
    path("feedback/stats/", views.feedback_stats, name="feedback-stats"),
    path("feedback/<int:pk>/", views.feedback_detail, name="feedback-detail"),
    path("feedback/<int:pk>/route/", views.feedback_route, name="feedback-route"),
    path("feedback/<int:pk>/refuse/", views.feedback_refuse, name="feedback-refuse"),
    path("feedback/<int:pk>/request-info/", views.feedback_request_info, name="feedback-request-info"),
    path("feedback/<int:pk>/info-received/", views.feedback_info_received, name="feedback-info-received"),
    path("feedback/<int:pk>/answer/", views.feedback_answer, name="feedback-answer"),
    path("feedback/<int:pk>/publish/", views.feedback_publish, name="feedback-publish"),
    path("feedback/<int:pk>/close/", views.feedback_close, name="feedback-close"),
]
