"""Staff pages of surveys and citizen feedback under /surveys/ in the "surveys" namespace."""

from cchc.surveys.urls_staff import urlpatterns

app_name = "surveys"
__all__ = ["app_name", "urlpatterns"]
