"""The search page behind the top bar's box: /search/?q=… (docs/search.md)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cchc.web.search import MAX_LENGTH, search


@login_required
def search_page(request):
    """Results grouped by kind. A query that cannot be run (empty, too long) gets a message and the
    box again, with status 200: it is a question to ask again, not a broken request."""
    asked = "q" in request.GET
    results = search(request.user, request.GET.get("q")) if asked else None
    context = {"asked": asked, "results": results, "max_length": MAX_LENGTH}
    return render(request, "web/search.html", context)
