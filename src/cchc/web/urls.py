from django.urls import path

from cchc.web import views

app_name = "web"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("sections/<slug:section>/", views.coming, name="coming"),
]
