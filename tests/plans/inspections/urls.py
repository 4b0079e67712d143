"""The site's URLs plus the inspection pages under /plans/inspections/ in the "plans" namespace,
for as long as the site's own urlconf does not include them."""

from django.urls import NoReverseMatch, include, path, reverse

from cchc import urls as site_urls
from cchc.plans import inspection_urls

try:
    reverse("plans:inspection-plans", urlconf=site_urls)
    urlpatterns = list(site_urls.urlpatterns)
except NoReverseMatch:
    urlpatterns = [
        *site_urls.urlpatterns,
        path("plans/inspections/", include((inspection_urls.urlpatterns, "plans"))),
    ]
