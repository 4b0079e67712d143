"""Criteria-set pages: the list of sets, one set's tree, its export, and (for the reform office) importing a
set from a file, loading the shipped default and cloning a set into another year.

Criteria sets belong to no unit: anyone who may view some unit reads them; changing them needs the
planning right on a top-level unit (`has_global_permission(user, PLAN)`), which the services check again.
A file is imported whole or not at all: every refused row is listed and nothing is saved.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cchc.accounts.permissions import PLAN, VIEW, has_any_permission, has_global_permission
from cchc.core import metrics
from cchc.parindex.models import OUTSIDE_MAXIMUM, Assessment, CriteriaSet, Method
from cchc.parindex.scoring import format_tiers
from cchc.parindex.services import criteria as criteria_services
from cchc.parindex.services.common import ImportRefused
from cchc.units.models import UnitType

MAX_UPLOAD = 5 * 1024 * 1024
SCORED = list(Method.values)
IN_MAXIMUM = [method for method in Method.values if method not in OUTSIDE_MAXIMUM]
TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


def _unit_type_choices() -> list[tuple[str, Any]]:
    return [(value, label) for value, label in UnitType.choices if value != UnitType.PROVINCE]


def _default_type_choices() -> list[tuple[str, Any]]:
    return [(value, label) for value, label in UnitType.choices if value in criteria_services.DEFAULT_SETS]


class YearField(forms.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("Year"))
        super().__init__(min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=TEXT), **kwargs)


class ReplaceField(forms.BooleanField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            required=False,
            label=gettext_lazy("Replace the set of that year and unit type if there is one"),
            widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            **kwargs,
        )


class TargetMixin:
    """Refuses to overwrite the set of (year, unit type) unless the box is ticked."""

    def check_target(self, year: int, unit_type: str) -> None:
        form: Any = self
        if form.cleaned_data.get("replace"):
            return
        if CriteriaSet.objects.filter(year=year, unit_type=unit_type).exists():
            form.add_error(
                "replace",
                _("A %(year)s set for this unit type exists; tick the box to replace it.") % {"year": year},
            )


class UploadForm(TargetMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".csv,.xlsx"}),
    )
    year = YearField()
    unit_type = forms.ChoiceField(
        label=gettext_lazy("Unit type"), choices=_unit_type_choices, widget=forms.Select(attrs=SELECT)
    )
    title = forms.CharField(
        label=gettext_lazy("Title"), required=False, max_length=300, widget=forms.TextInput(attrs=TEXT)
    )
    replace = ReplaceField()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("year") and data.get("unit_type"):
            self.check_target(data["year"], data["unit_type"])
        return data


class DefaultForm(TargetMixin, forms.Form):
    year = YearField()
    unit_type = forms.ChoiceField(
        label=gettext_lazy("Unit type"), choices=_default_type_choices, widget=forms.Select(attrs=SELECT)
    )
    replace = ReplaceField()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("year") and data.get("unit_type"):
            self.check_target(data["year"], data["unit_type"])
        return data


class CloneForm(TargetMixin, forms.Form):
    year = YearField(label=gettext_lazy("Into the year"))
    replace = ReplaceField()

    def __init__(self, *args: Any, source: CriteriaSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = source

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("year"):
            if data["year"] == self.source.year:
                self.add_error("year", _("Choose another year than the set's own."))
            else:
                self.check_target(data["year"], self.source.unit_type)
        return data


# -- permissions ----------------------------------------------------------------------------------


def _require_reader(user: Any) -> None:
    if not has_any_permission(user, VIEW):
        raise PermissionDenied


def _require_editor(user: Any) -> None:
    if not has_global_permission(user, PLAN):
        raise PermissionDenied(_("Only the reform office may change criteria sets."))


def _form_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal shown on the form: field errors on their fields, the rest above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# -- the list and the changes made from it --------------------------------------------------------


def criteria_sets_with_figures():
    """Every set with its number of scored leaves, its maximum and whether a campaign uses it: one query."""
    return CriteriaSet.objects.annotate(
        leaves=Count("criteria", filter=Q(criteria__method__in=SCORED)),
        maximum_points=Sum("criteria__max_points", filter=Q(criteria__method__in=IN_MAXIMUM)),
        in_use=Exists(Assessment.objects.filter(criteria_set=OuterRef("pk"))),
    ).order_by("-year", "unit_type")


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
        "sets": criteria_sets_with_figures(),
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
        _form_errors(form, error)
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
    try:
        criteria_set = criteria_services.load_default_set(
            actor=request.user, year=form.cleaned_data["year"], unit_type=form.cleaned_data["unit_type"]
        )
    except ValidationError as error:
        _form_errors(form, error)
        return _render_list(request, default=form, status=400)
    messages.success(
        request, _("The shipped criteria set is loaded for %(year)s.") % {"year": criteria_set.year}
    )
    return redirect("parindex:criteria-set", pk=criteria_set.pk)


# -- one set --------------------------------------------------------------------------------------


def _metric_label(key: str) -> str:
    if not key:
        return ""
    try:
        return str(metrics.get(key).label)
    except KeyError:
        return ""


def tree_rows(criteria_set: CriteriaSet) -> list[dict[str, Any]]:
    """The set's criteria in order, each with its depth (0 for an area) and what the page shows of it."""
    criteria = list(criteria_set.criteria.order_by("position"))
    depth: dict[int, int] = {}
    rows = []
    for criterion in criteria:
        level = 0 if criterion.parent_id is None else depth.get(criterion.parent_id, 0) + 1
        depth[criterion.pk] = level
        rows.append(
            {
                "criterion": criterion,
                "depth": level,
                "indent": level * 1.25,
                "tiers": format_tiers(criterion.tiers).replace("|", " | "),
                "metric_label": _metric_label(criterion.metric),
                "outside_maximum": criterion.is_leaf and not criterion.counts_in_maximum,
            }
        )
    return rows


def _render_set(request: HttpRequest, criteria_set: CriteriaSet, clone: CloneForm | None = None, status=200):
    editor = has_global_permission(request.user, PLAN)
    context = {
        "criteria_set": criteria_set,
        "rows": tree_rows(criteria_set),
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
    chosen = get_object_or_404(CriteriaSet.objects.select_related("cloned_from"), pk=pk)
    return _render_set(request, chosen)


@login_required
@require_POST
def criteria_clone(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request.user)
    source = get_object_or_404(CriteriaSet, pk=pk)
    form = CloneForm(request.POST, source=source)
    if not form.is_valid():
        return _render_set(request, source, clone=form, status=400)
    try:
        copy = criteria_services.clone_set(actor=request.user, source=source, year=form.cleaned_data["year"])
    except ValidationError as error:
        _form_errors(form, error)
        return _render_set(request, source, clone=form, status=400)
    messages.success(request, _("The set is copied into %(year)s.") % {"year": copy.year})
    return redirect("parindex:criteria-set", pk=copy.pk)


EXPORTS = {
    "csv": ("text/csv; charset=utf-8", criteria_services.export_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        criteria_services.export_xlsx,
    ),
}


@login_required
@require_GET
def criteria_export(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request.user)
    chosen = get_object_or_404(CriteriaSet, pk=pk)
    kind = request.GET.get("format", "csv").strip().lower() or "csv"
    if kind not in EXPORTS:
        raise Http404
    content_type, build = EXPORTS[kind]
    response = HttpResponse(build(chosen), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="bo-chi-so-{chosen.year}-{chosen.unit_type}.{kind}"'
    )
    return response
