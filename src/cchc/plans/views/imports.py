"""Importing a plan document: upload it, review the draft the extractor proposes, confirm.

The draft lives in the user's session until it is confirmed; nothing reaches the database before
that. Confirming runs every service call in one transaction: when any of them refuses, the refusals
are shown on their rows and the whole plan is rolled back, so a plan is never half imported.
"""

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.permissions import PLAN, has_any_permission
from cchc.kit.views import attach_errors
from cchc.plans.extraction import extract
from cchc.plans.extraction.aliases import expand, meaning
from cchc.plans.forms import imports as f
from cchc.plans.models import DeadlineKind, Plan, ReformArea
from cchc.plans.services import plans as plan_services
from cchc.plans.services import tasks as task_services
from cchc.units.models import Unit

SESSION_KEY = "plans.import_draft"


def _require_planner(user: Any) -> None:
    if not has_any_permission(user, PLAN):
        raise PermissionDenied


def _draft(request) -> dict[str, Any] | None:
    draft = request.session.get(SESSION_KEY)
    # The user check is belt and braces: signing in as someone else already starts a new session.
    return draft if draft and draft.get("user") == request.user.pk else None


def _forget_pending_file(draft: dict[str, Any] | None) -> None:
    if draft and draft.get("pending_file") and default_storage.exists(draft["pending_file"]):
        default_storage.delete(draft["pending_file"])


def _attach(user: Any, plan: Plan, draft: dict[str, Any]) -> None:
    """Attach the uploaded document to the new plan, then drop the waiting copy."""
    pending = draft.get("pending_file")
    if not pending or not default_storage.exists(pending):
        return
    with default_storage.open(pending, "rb") as content:
        plan_services.attach_source_document(
            actor=user, plan=plan, name=draft["file_name"], content=File(content)
        )
    default_storage.delete(pending)


@login_required
def upload(request):
    _require_planner(request.user)
    form = f.UploadForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"year_from": timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        title, number = f.proposed_heading(form.text)
        year_from = data["year_from"]
        year_to = data["year_to"] or year_from
        if not title:
            years = str(year_from) if year_from == year_to else f"{year_from}–{year_to}"
            title = _("Administrative reform plan %(years)s of %(unit)s") % {
                "years": years,
                "unit": data["issuing_unit"].name,
            }
        _forget_pending_file(_draft(request))
        # The document waits in storage (not the database) until the reviewer confirms or discards.
        pending = default_storage.save(f"plans/pending/{uuid.uuid4().hex}/{form.file_name}", data["file"])
        request.session[SESSION_KEY] = {
            "pending_file": pending,
            "user": request.user.pk,
            "issuing_unit": data["issuing_unit"].pk,
            "year_from": year_from,
            "year_to": year_to,
            "file_name": form.file_name,
            "title": title,
            "number": number,
            **extract(form.text).as_json(),
        }
        return redirect("plans:plan-import-review")
    context = {"form": form, "draft": _draft(request)}
    return render(request, "plans/import/upload.html", context)


@dataclass
class Review:
    """The review page's forms, the units and standard areas their rows choose from, and (before
    any POST) the flags of rows whose guesses failed."""

    plan: f.PlanForm
    areas: Any
    targets: Any
    tasks: Any
    units: dict[str, Unit]
    reform_areas: dict[str, ReformArea]
    flags: dict[str, list[list[str]]] = field(default_factory=dict)

    @property
    def formsets(self) -> list[Any]:
        return [self.areas, self.targets, self.tasks]

    def all_forms(self) -> list[Any]:
        return [self.plan, *self.areas, *self.targets, *self.tasks]

    def is_valid(self) -> bool:
        return all(
            [self.plan.is_valid(), self.areas.is_valid(), self.targets.is_valid(), self.tasks.is_valid()]
        )

    def has_errors(self) -> bool:
        return any(form.errors for form in self.all_forms())


def _review(data: Any, draft: dict[str, Any], issuer: Unit) -> Review:
    units = {
        str(unit.pk): unit
        for unit in Unit.objects.subtree(issuer).active_on(timezone.localdate()).order_by("path")
    }
    unit_choices = [(pk, unit.name) for pk, unit in units.items()]
    reform_areas = {str(area.pk): area for area in ReformArea.objects.all()}
    area_choices = [(str(index), area["title"]) for index, area in enumerate(draft["areas"])]
    areas = f.area_rows(draft, {area.code: pk for pk, area in reform_areas.items()})
    targets = f.target_rows(draft)
    plain_choices = [(pk, f.plain(name)) for pk, name in unit_choices]
    tasks = _with_aliases(draft, f.task_rows(draft, plain_choices), units)
    review = Review(
        plan=f.PlanForm(data, prefix="plan", initial={"title": draft["title"], "number": draft["number"]}),
        areas=f.AreaFormSet(
            data,
            prefix="areas",
            initial=areas,
            form_kwargs={"reform_areas": [(pk, area.name) for pk, area in reform_areas.items()]},
        ),
        targets=f.TargetFormSet(data, prefix="targets", initial=targets, form_kwargs={"areas": area_choices}),
        tasks=f.TaskFormSet(
            data,
            prefix="tasks",
            initial=tasks,
            form_kwargs={
                "areas": area_choices,
                "units": unit_choices,
                "years": (draft["year_from"], draft["year_to"]),
            },
        ),
        units=units,
        reform_areas=reform_areas,
    )
    if data is None:
        review.flags = {
            "targets": [_target_flags(row) for row in targets],
            "tasks": [_task_flags(row) for row in tasks],
        }
    return review


def unit_pks(
    written: str | None, units: dict[str, Unit], names: list[tuple[str, str]] | None = None
) -> list[str]:
    """The units (pks, as text) a written name means, through the table of usual abbreviations:
    "Sở NV" is Sở Nội vụ, "UBND tỉnh" the province, "UBND các xã, phường" every commune.
    `names`: each unit's name with its abbreviations written out, through `plain` (`expanded_names`)."""
    if not written or not written.strip():
        return []
    found = meaning(written)
    if found.types:
        return [pk for pk, unit in units.items() if unit.type in found.types]
    names = expanded_names(units) if names is None else names
    pk = f.match_unit(found.name, names) or f.match_unit(expand(written), names)
    return [pk] if pk else []


def expanded_names(units: dict[str, Unit]) -> list[tuple[str, str]]:
    return [(pk, f.plain(expand(unit.name))) for pk, unit in units.items()]


def _with_aliases(draft: dict[str, Any], rows: list[dict[str, Any]], units: dict[str, Unit]) -> list[dict]:
    """The task rows' units found through the aliases first, so that "UBND tỉnh" is the province and
    not the one unit whose name holds those words (its Văn phòng); a lead that means several units
    ("UBND các xã, phường") is left for the reviewer to choose."""
    names = expanded_names(units)
    for task, row in zip(draft["tasks"], rows, strict=True):
        leads = unit_pks(task.get("lead_unit"), units, names)
        row["lead_unit"] = leads[0] if len(leads) == 1 else ""
        helpers: list[str] = []
        for written in task.get("coordinating_units", []):
            helpers += [pk for pk in unit_pks(written, units, names) if pk not in helpers]
        row["coordinating_units"] = [pk for pk in helpers if pk != row["lead_unit"]]
    return rows


def target_codes(areas: list[str | None]) -> list[str]:
    """Codes for the imported targets, in order, given each one's area (its number in the plan, or
    None): "CT2.1" is the first target of the second area, "CT3" the third target with no area.
    The same draft always gets the same codes, and no two are equal."""
    counts: dict[str | None, int] = {}
    codes = []
    for area in areas:
        counts[area] = counts.get(area, 0) + 1
        codes.append(f"CT{area}.{counts[area]}" if area else f"CT{counts[area]}")
    return codes


def _target_flags(row: dict[str, Any]) -> list[str]:
    return [] if row["unit"] else [_("unit not recognised")]


def _task_flags(row: dict[str, Any]) -> list[str]:
    flags = [] if row["lead_unit"] else [_("lead unit not recognised")]
    if not row["deadline_kind"] or (row["deadline_kind"] != DeadlineKind.RECURRING and not row["deadline"]):
        flags.append(_("deadline not read"))
    return flags


class _Refused(Exception):
    """Raised inside the transaction to undo the whole import once every refusal is on its row."""


def _attempt(form: Any, service: Any, **arguments: Any) -> Any:
    """One service call; a refusal is written on the row's form (its transaction changed nothing)."""
    try:
        return service(**arguments)
    except ValidationError as error:
        attach_errors(form, error)
        return None


def _create(user: Any, draft: dict[str, Any], issuer: Unit, review: Review) -> Plan | None:
    """Everything the reviewer kept, through the services; None when any of them refused."""
    try:
        with transaction.atomic():
            plan = _attempt(
                review.plan,
                plan_services.create_plan,
                actor=user,
                issuing_unit=issuer,
                title=review.plan.cleaned_data["title"],
                number=review.plan.cleaned_data["number"],
                year_from=draft["year_from"],
                year_to=draft["year_to"],
            )
            if plan is None:
                raise _Refused
            _create_parts(user, plan, review)
            if review.has_errors():
                raise _Refused
    except _Refused:
        return None
    return plan


def _create_parts(user: Any, plan: Plan, review: Review) -> None:
    # Every row is tried even after a refusal, so that the reviewer sees all problems at once.
    areas, numbers = {}, {}
    for index, form in enumerate(review.areas):
        if form.included:
            numbers[str(index)] = str(len(numbers) + 1)
            data = form.cleaned_data
            areas[str(index)] = _attempt(
                form,
                plan_services.add_area,
                actor=user,
                plan=plan,
                title=data["title"],
                reform_area=review.reform_areas.get(data["reform_area"]),
                order=index,
            )
    kept = [(index, form) for index, form in enumerate(review.targets) if form.included]
    codes = target_codes([numbers.get(form.cleaned_data["area"]) for _index, form in kept])
    for (index, form), code in zip(kept, codes, strict=True):
        if form.included:
            data = form.cleaned_data
            _attempt(
                form,
                plan_services.add_target,
                actor=user,
                plan=plan,
                code=code,
                text=data["text"],
                comparator=data["comparator"],
                value=data["value"],
                unit=data["unit"],
                area=areas.get(data["area"]),
                scope_types=data["scope_types"],
                order=index,
            )
    for index, form in enumerate(review.tasks):
        if form.included:
            data = form.cleaned_data
            _attempt(
                form,
                task_services.add_task,
                actor=user,
                plan=plan,
                text=data["text"],
                lead_unit=review.units[data["lead_unit"]],
                coordinating_units=[review.units[pk] for pk in data["coordinating_units"]],
                deadline_kind=data["deadline_kind"],
                deadline=data["deadline"],
                expected_product=data["expected_product"],
                area=areas.get(data["area"]),
                order=index,
            )


@login_required
def review(request):
    _require_planner(request.user)
    draft = _draft(request)
    if draft is None:
        messages.info(request, _("There is no plan document to review: upload one first."))
        return redirect("plans:plan-import")
    if request.method == "POST" and "discard" in request.POST:
        _forget_pending_file(draft)
        del request.session[SESSION_KEY]
        messages.info(request, _("The draft was discarded; nothing was saved."))
        return redirect("plans:plan-import")
    issuer = get_object_or_404(Unit.objects.for_user(request.user, PLAN), pk=draft["issuing_unit"])
    page = _review(request.POST if request.method == "POST" else None, draft, issuer)
    refused = False
    if request.method == "POST":
        plan = _create(request.user, draft, issuer, page) if page.is_valid() else None
        if plan is not None:
            _attach(request.user, plan, draft)
            del request.session[SESSION_KEY]
            messages.success(
                request,
                _("The plan was created from %(file)s as a draft: check it, then issue it.")
                % {"file": draft["file_name"]},
            )
            return redirect("plans:plan", pk=plan.pk)
        refused = True
    context = {
        "draft": draft,
        "issuer": issuer,
        "page": page,
        "refused": refused,
        "areas": _rows(page.areas, draft["areas"], []),
        "targets": _rows(page.targets, draft["targets"], page.flags.get("targets", [])),
        "tasks": _rows(page.tasks, draft["tasks"], page.flags.get("tasks", [])),
    }
    return render(request, "plans/import/review.html", context)


def _rows(formset: Any, written: list[dict[str, Any]], flags: list[list[str]]) -> list[dict[str, Any]]:
    """Each form with what the document wrote for it and its flags, for the template."""
    return [
        {
            "form": form,
            "written": written[i] if i < len(written) else {},
            "flags": flags[i] if i < len(flags) else [],
        }
        for i, form in enumerate(formset)
    ]
