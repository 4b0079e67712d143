"""The list of procedures, with a filter by code or name, field and online level."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cchc.kit.views import paginate
from cchc.onestop.forms import ProcedureFilter
from cchc.onestop.models import OnlineLevel
from cchc.onestop.queries import procedures as queries

PAGE_SIZE = 50


@login_required
def procedure_list(request):
    form = ProcedureFilter(request.GET or None, fields=queries.fields())
    # A filter that is not understood is left out (the page says so), not an error page.
    procedures = queries.matching(**form.cleaned_data) if form.is_valid() else queries.matching()
    page, query = paginate(request, procedures, PAGE_SIZE)
    context = {"form": form, "page": page, "query": query, "levels": OnlineLevel}
    return render(request, "onestop/procedure_list.html", context)
