"""The site's URLs plus the plan pages, as the lead will wire them in cchc.urls (tests only)."""

from django.urls import include, path

from cchc.urls import urlpatterns as site_urlpatterns

urlpatterns = [*site_urlpatterns, path("plans/", include("cchc.plans.urls"))]
