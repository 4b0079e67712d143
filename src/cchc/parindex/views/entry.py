"""Bulk entry on one area of a scorecard: self-assessment (the unit's focal point) or appraisal (the
appraisers), one form per area.

Each row saves itself when one of its fields is left (htmx posts the row; the answer is the row's status,
"saved at HH:MM" or the refusal, and the row's new version); "save all" sends the whole area, saved in
one transaction or not at all, with each refused row's message beside it. Several evidence files go up
at once; a file that is refused refuses only itself. Without JavaScript the same form works by plain
posts and redirects. Scorecards and items are fetched through `for_user` querysets (else 404); a change
also needs the right of the phase (else 403); the rules are the services' (`services.entry`, which calls
`services.items`).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cchc.accounts.permissions import ENTER, has_unit_permission
from cchc.core.evidence import EVIDENCE_SIGNATURES
from cchc.kit.views import refusal_as_messages
from cchc.parindex.forms import entry_name, posted_entries, posted_entry
from cchc.parindex.models import Assessment, Criterion, Item, Phase
from cchc.parindex.queries import entry as queries
from cchc.parindex.queries.results import area_of
from cchc.parindex.services import entry as services
from cchc.parindex.services import items as item_services
from cchc.parindex.services.common import Conflict

# More files than this in one go is refused as a whole: it is a mistake, not a day's evidence.
MAX_FILES_AT_ONCE = 20


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    related = ("campaign__organiser", "unit", "criteria_set")
    return get_object_or_404(Assessment.objects.for_user(request.user).select_related(*related), pk=pk)


def _area(assessment: Assessment, pk: int) -> Criterion:
    return get_object_or_404(assessment.criteria_set.criteria.filter(parent__isnull=True), pk=pk)


def _item(request: HttpRequest, pk: int, action: str) -> Item:
    """The item if its unit is in the user's sight (else 404) and the user may `action` there (else 403)."""
    items = Item.objects.for_user(request.user).select_related(
        "criterion", "assessment__unit", "assessment__campaign", "assessment__criteria_set"
    )
    item = get_object_or_404(items, pk=pk)
    if not has_unit_permission(request.user, action, item.assessment.unit):
        raise PermissionDenied(_("You may not do this for %(unit)s.") % {"unit": item.assessment.unit.name})
    return item


def _area_url(assessment_id: int, area_id: int, item_id: int | None = None) -> str:
    url = reverse("parindex:area-entry", args=[assessment_id, area_id])
    return f"{url}#item-{item_id}" if item_id else url


def _item_area_url(item: Item) -> str:
    criteria = {node.pk: node for node in item.assessment.criteria_set.criteria.all()}
    return _area_url(item.assessment_id, area_of(criteria, item.criterion).pk, item.pk)


def _no_entry_now(phase: str) -> ValidationError:
    return ValidationError(
        _(
            "Values are entered on this page only during self-assessment and appraisal; "
            "the assessment is in the “%(phase)s” phase."
        )
        % {"phase": Phase(phase).label}
    )


def _render_area(
    request: HttpRequest,
    assessment: Assessment,
    area: Criterion,
    *,
    posted: dict[int, Any] | None = None,
    problems: dict[int, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    mode = queries.entry_mode(request.user, assessment)
    rows = queries.area_rows(assessment, area, mode, posted=posted, problems=problems)
    # A refusal of a row this page does not show (posted for another area or scorecard) is said on top.
    shown = {row.item.pk for row in rows}
    for item_id, texts in (problems or {}).items():
        if item_id not in shown:
            for text in texts:
                messages.error(request, text)
    context = {
        "assessment": assessment,
        "campaign": assessment.campaign,
        "unit": assessment.unit,
        "area": area,
        "areas": queries.areas_of(assessment),
        "mode": mode,
        "rows": rows,
        "steps": queries.next_steps(
            request.user, assessment, missing=len(item_services.missing_before_submission(assessment))
        ),
        "evidence_types": ", ".join(sorted(EVIDENCE_SIGNATURES)),
        "max_files": MAX_FILES_AT_ONCE,
    }
    return render(request, "parindex/entry/area.html", context, status=status)


@login_required
@require_GET
def area_entry(request: HttpRequest, pk: int, area: int) -> HttpResponse:
    """One area of the scorecard as one form; read-only for those who may not enter values now."""
    assessment = _assessment(request, pk)
    return _render_area(request, assessment, _area(assessment, area))


@login_required
@require_POST
def area_save(request: HttpRequest, pk: int, area: int) -> HttpResponse:
    """ "Save all": every changed row of the area in one transaction, or none with each row's refusal."""
    assessment = _assessment(request, pk)
    area_node = _area(assessment, area)
    mode = services.mode_for_phase(assessment.campaign.phase)
    try:
        if mode is None:
            raise _no_entry_now(assessment.campaign.phase)
        entries = posted_entries(request.POST)
        saved = services.save_area(
            actor=request.user, assessment=assessment, area=area_node, entries=entries, mode=mode
        )
    except services.AreaRefused as refusal:
        messages.error(
            request,
            _("Nothing was saved: %(count)s criteria need correcting (see the messages beside them).")
            % {"count": len(refusal.problems)},
        )
        posted = {entry.item_id: entry for entry in entries}
        return _render_area(request, assessment, area_node, posted=posted, problems=refusal.problems)
    except ValidationError as error:
        refusal_as_messages(request, error)
        return redirect(_area_url(assessment.pk, area_node.pk))
    if saved:
        messages.success(request, _("%(count)s criteria were saved.") % {"count": len(saved)})
    else:
        messages.info(request, _("Everything in this area was already saved."))
    return redirect(_area_url(assessment.pk, area_node.pk))


@login_required
@require_POST
def item_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """One row saved as soon as one of its fields is left (htmx); without htmx, a post and a redirect."""
    seen = Item.objects.for_user(request.user).select_related("assessment__campaign")
    mode = services.mode_for_phase(get_object_or_404(seen, pk=pk).assessment.campaign.phase)
    item = _item(request, pk, services.MODE_RIGHTS[mode] if mode else ENTER)
    saved: Item | None = None
    errors: list[str] = []
    stale = False
    try:
        if mode is None:
            raise _no_entry_now(item.assessment.campaign.phase)
        entry = posted_entry(request.POST, item.pk)
        saved = services.save_entry(actor=request.user, item=item, entry=entry, mode=mode)
    except Conflict as error:
        errors, stale = error.messages, True
    except ValidationError as error:
        errors = error.messages
    if not request.htmx:
        if errors:
            refusal_as_messages(request, ValidationError(errors))
        elif saved is not None:
            messages.success(request, _("Criterion %(code)s was saved.") % {"code": item.criterion.code})
        return redirect(_item_area_url(item))
    if saved is not None:
        item = saved
    context = {
        "item": item,
        "saved": saved is not None,
        "unchanged": saved is None and not errors,
        "errors": errors,
        "stale": stale,
        "time": timezone.localtime().strftime("%H:%M"),
        "mode": mode,
    }
    return render(request, "parindex/entry/_status.html", context)


@login_required
@require_POST
def item_files(request: HttpRequest, pk: int) -> HttpResponse:
    """Several evidence files at once, each checked on its own: a refused file refuses only itself."""
    item = _item(request, pk, ENTER)
    uploads = request.FILES.getlist(entry_name(item.pk, "files")) or request.FILES.getlist("files")
    attached: list[str] = []
    refused: list[tuple[str, str]] = []
    if not uploads:
        refused.append(("", _("Choose one or more files to attach.")))
    elif len(uploads) > MAX_FILES_AT_ONCE:
        refused.append(
            ("", _("At most %(count)s files can be attached at once.") % {"count": MAX_FILES_AT_ONCE})
        )
    else:
        for upload in uploads:
            try:
                item_services.add_evidence(actor=request.user, item=item, upload=upload)
            except ValidationError as error:
                refused.append((upload.name, " ".join(error.messages)))
            else:
                attached.append(upload.name)
    if not request.htmx:
        _files_as_messages(request, item, attached, refused)
        return redirect(_item_area_url(item))
    item.refresh_from_db()
    context = {
        "item": item,
        "evidence": list(item.evidence.all()),
        "attached": attached,
        "refused": refused,
        "editable": True,
        "evidence_types": ", ".join(sorted(EVIDENCE_SIGNATURES)),
        "max_files": MAX_FILES_AT_ONCE,
        "oob_version": bool(attached),
    }
    return render(request, "parindex/entry/_files.html", context)


def _files_as_messages(
    request: HttpRequest, item: Item, attached: list[str], refused: list[tuple[str, str]]
) -> None:
    if attached:
        messages.success(
            request,
            _("Attached to %(code)s: %(names)s.")
            % {"code": item.criterion.code, "names": ", ".join(attached)},
        )
    for name, reason in refused:
        if name:
            reason = _("%(name)s was not attached: %(reason)s") % {"name": name, "reason": reason}
        messages.error(request, reason)
