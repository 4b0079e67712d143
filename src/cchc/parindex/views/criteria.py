"""Criteria-set pages: the list of sets, one set's tree, its export, and (for the reform office) importing a
set from a file, loading the shipped default and cloning a set into another year.

Criteria sets belong to no unit: anyone who may view some unit reads them; changing them needs the
planning right on a top-level unit (`has_global_permission(user, PLAN)`), which the services check again.
A file is imported whole or not at all: every refused row is listed and nothing is saved.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cchc.accounts.permissions import PLAN, VIEW, has_any_permission, has_global_permission
from cchc.core.replica import reads_from_replica
from cchc.kit import downloads
from cchc.kit.views import attach_errors, run_service
from cchc.parindex.forms import CloneForm, DefaultForm, UploadForm
from cchc.parindex.models import CriteriaSet, Method
from cchc.parindex.queries import criteria as queries
from cchc.parindex.services import criteria as criteria_services
from cchc.parindex.services.common import ImportRefused

# -- permissions ----------------------------------------------------------------------------------


def _require_reader(user: Any) -> None:
    if not has_any_permission(user, VIEW):
        raise PermissionDenied


def _require_editor(user: Any) -> None:
    if not has_global_permission(user, PLAN):
        raise PermissionDenied(_("Only the reform office may change criteria sets."))


# -- the list and the changes made from it --------------------------------------------------------


def _render_list(
    request: HttpRequest,
    *,
    upload: UploadForm | None = None,
    default: DefaultForm | None = None,
    import_errors: list[tuple[int | None, str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    editor = has_global_permission(request.user, PLAN)
    context = {
        "sets": queries.criteria_sets_with_figures(),
        "editor": editor,
        "upload_form": (upload or UploadForm()) if editor else None,
        "default_form": (default or DefaultForm()) if editor else None,
        "import_errors": import_errors or [],
        "columns": [*criteria_services.COLUMNS, *criteria_services.OPTIONAL_COLUMNS],
        "methods": Method.choices,
    }
    return render(request, "parindex/criteria/list.html", context, status=status)


@login_required
@require_GET
def criteria_sets(request: HttpRequest) -> HttpResponse:
    _require_reader(request.user)
    return _render_list(request)


@login_required
@require_POST
def criteria_import(request: HttpRequest) -> HttpResponse:
    _require_editor(request.user)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_list(request, upload=form, status=400)
    data = form.cleaned_data
    upload = data["file"]
    try:
        criteria_set = criteria_services.import_criteria(
            actor=request.user,
            content=upload.read(),
            filename=upload.name,
            year=data["year"],
            unit_type=data["unit_type"],
            title=data["title"],
        )
    except ImportRefused as refused:
        return _render_list(request, upload=form, import_errors=refused.rows, status=400)
    except ValidationError as error:
        attach_errors(form, error)
        return _render_list(request, upload=form, status=400)
    messages.success(
        request,
        _("The criteria set “%(title)s” is saved with %(count)s criteria.")
        % {"title": criteria_set.title, "count": criteria_set.criteria.count()},
    )
    return redirect("parindex:criteria-set", pk=criteria_set.pk)


@login_required
@require_POST
def criteria_default(request: HttpRequest) -> HttpResponse:
    _require_editor(request.user)
    form = DefaultForm(request.POST)
    if not form.is_valid():
        return _render_list(request, default=form, status=400)
    loaded, criteria_set = run_service(
        request,
        lambda: criteria_services.load_default_set(
            actor=request.user, year=form.cleaned_data["year"], unit_type=form.cleaned_data["unit_type"]
        ),
        form=form,
    )
    if not loaded:
        return _render_list(request, default=form, status=400)
    messages.success(
        request, _("The shipped criteria set is loaded for %(year)s.") % {"year": criteria_set.year}
    )
    return redirect("parindex:criteria-set", pk=criteria_set.pk)


# -- one set --------------------------------------------------------------------------------------


def _render_set(request: HttpRequest, criteria_set: CriteriaSet, clone: CloneForm | None = None, status=200):
    editor = has_global_permission(request.user, PLAN)
    context = {
        "criteria_set": criteria_set,
        "rows": queries.tree_rows(criteria_set),
        "maximum": criteria_set.maximum(),
        "in_use": criteria_set.assessments.exists(),
        "editor": editor,
        "clone_form": (clone or CloneForm(source=criteria_set)) if editor else None,
    }
    return render(request, "parindex/criteria/detail.html", context, status=status)


@login_required
@require_GET
def criteria_set(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request.user)
    chosen = get_object_or_404(
        CriteriaSet.objects.for_user(request.user).select_related("cloned_from"), pk=pk
    )
    return _render_set(request, chosen)


@login_required
@require_POST
def criteria_clone(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request.user)
    source = get_object_or_404(CriteriaSet.objects.for_user(request.user, PLAN), pk=pk)
    form = CloneForm(request.POST, source=source)
    if not form.is_valid():
        return _render_set(request, source, clone=form, status=400)
    copied, copy = run_service(
        request,
        lambda: criteria_services.clone_set(
            actor=request.user, source=source, year=form.cleaned_data["year"]
        ),
        form=form,
    )
    if not copied:
        return _render_set(request, source, clone=form, status=400)
    messages.success(request, _("The set is copied into %(year)s.") % {"year": copy.year})
    return redirect("parindex:criteria-set", pk=copy.pk)


EXPORTS = {
    "csv": (downloads.CSV, criteria_services.export_csv),
    "xlsx": (downloads.XLSX, criteria_services.export_xlsx),
}


@login_required
@require_GET
@reads_from_replica
def criteria_export(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request.user)
    chosen = get_object_or_404(CriteriaSet.objects.for_user(request.user), pk=pk)
    kind = request.GET.get("format", "csv").strip().lower() or "csv"
    if kind not in EXPORTS:
        raise Http404
    content_type, build = EXPORTS[kind]
    return downloads.download(
        build(chosen), f"bo-chi-so-{chosen.year}-{chosen.unit_type}.{kind}", content_type
    )
