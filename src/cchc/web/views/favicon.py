"""`/favicon.ico`: browsers ask for it on their own, whatever the page links; send them to our SVG."""

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@require_safe
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Resolved per request, not at import: the hashed name exists only once static files are collected.
    return HttpResponsePermanentRedirect(static("web/favicon.svg"))
