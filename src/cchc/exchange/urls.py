"""The exchange's page, under /exchange/ (the endpoint is in cchc.urls: `exchange-packages`)."""

from django.urls import path

from cchc.exchange import views

app_name = "exchange"
urlpatterns = [path("packages/", views.packages, name="packages")]
