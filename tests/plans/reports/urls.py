"""The project's routes plus the report routes under /plans/reports/ in the "plans" namespace, as the
project is to include them; tests use it with @pytest.mark.urls. Once the project's own urls.py
includes the report routes, this is simply the project's urlconf."""

from django.urls import NoReverseMatch, include, path, reverse

from cchc import urls as project_urls
from cchc.plans import report_urls


def _project_has_report_routes() -> bool:
    try:
        reverse("plans:report-round", args=[1], urlconf=project_urls)
    except NoReverseMatch:
        return False
    return True


urlpatterns = list(project_urls.urlpatterns)
if not _project_has_report_routes():
    urlpatterns.append(path("plans/reports/", include((report_urls.urlpatterns, "plans"))))
