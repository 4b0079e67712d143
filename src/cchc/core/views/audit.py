"""The audit trail: a filterable list and each object's history. Read-only by design."""

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from cchc.core.forms import AuditFilterForm, model_label
from cchc.core.models import AuditEntry


@login_required
def audit_list(request):
    entries = AuditEntry.objects.for_user(request.user).select_related("unit", "object_type")
    form = AuditFilterForm(request.GET or None, user=request.user)
    if form.is_bound and form.is_valid():
        entries = form.apply(entries)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit_list.html", {"form": form, "page": page, "query": query.urlencode()})


@login_required
def object_history(request, content_type_id: int, object_id: str):
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    entries = (
        AuditEntry.objects.for_user(request.user)
        .filter(object_type=content_type, object_id=object_id)
        .select_related("unit")
    )
    if not entries.exists():
        raise Http404
    return render(
        request,
        "core/object_history.html",
        {
            "entries": entries,
            "object_repr": entries[0].object_repr,
            "model_name": model_label(content_type),
        },
    )
