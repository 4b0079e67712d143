"""Public pages for citizens, without an account, in the "public" namespace (mounted at the site root).

The paths are Vietnamese because citizens type them and read them on posters and QR codes.
"""

from django.urls import path

from cchc.surveys import views_public

app_name = "public"
urlpatterns = [
    path("khao-sat/<str:token>/", views_public.survey, name="survey"),
    path("khao-sat/<str:token>/cam-on/", views_public.survey_done, name="survey-done"),
    path("phan-anh/", views_public.feedback, name="feedback"),
    path("phan-anh/da-gui/", views_public.feedback_done, name="feedback-done"),
    path("phan-anh/tra-cuu/", views_public.feedback_status, name="feedback-status"),
    path("phan-anh/danh-gia/", views_public.feedback_rate, name="feedback-rate"),
    path("phan-anh/mo-lai/", views_public.feedback_reopen, name="feedback-reopen"),
    path("phan-anh/da-tra-loi/", views_public.feedback_published, name="feedback-published"),
]
