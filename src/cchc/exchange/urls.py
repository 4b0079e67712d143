"""The exchange's pages, under /exchange/ (the endpoint is in cchc.urls: `exchange-packages`)."""

from django.urls import path

from cchc.exchange import views
from cchc.exchange.views import national

app_name = "exchange"
urlpatterns = [
    path("packages/", views.packages, name="packages"),
    path("provinces/", national.compare, name="compare"),
    path("submissions/", national.submission_status, name="submissions"),
]
