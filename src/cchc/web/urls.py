from django.urls import path

from cchc.web.views import home

app_name = "web"
urlpatterns = [
    path("", home.dashboard, name="dashboard"),
    path("sections/<slug:section>/", home.coming, name="coming"),
]
