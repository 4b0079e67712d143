"""Unit pages: the tree on a chosen date, and each unit's history and lineage."""

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core.scoping import ADMINISTER, has_any_permission, has_unit_permission
from cchc.units import queries
from cchc.units.models import Unit


def parse_day(raw: str | None) -> tuple[datetime.date | None, str]:
    """A date typed as dd/mm/yyyy or yyyy-mm-dd; the error message when it is neither."""
    if not raw:
        return None, ""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(raw.strip(), pattern).date(), ""
        except ValueError:
            continue
    return None, _("“%(value)s” is not a date: write it as dd/mm/yyyy.") % {"value": raw}


@login_required
def tree(request):
    on, error = parse_day(request.GET.get("on"))
    on = on or timezone.localdate()
    visible = list(Unit.objects.for_user(request.user).active_on(on).order_by("path"))
    visible_ids = {unit.pk for unit in visible}
    children: dict[int | None, list[Unit]] = {}
    for unit in visible:
        # A unit whose parent the user cannot see is shown as a root of its own subtree.
        parent_key = unit.parent_id if unit.parent_id in visible_ids else None
        children.setdefault(parent_key, []).append(unit)
    for siblings in children.values():
        siblings.sort(key=lambda unit: (unit.type != "agency", unit.name))
    return render(
        request,
        "units/tree.html",
        {
            "on": on,
            "date_error": error,
            "children": children,
            "roots": children.get(None, []),
            "count": len(visible),
            "can_import": has_any_permission(request.user, ADMINISTER),
        },
    )


@login_required
def detail(request, pk: int):
    unit = get_object_or_404(Unit.objects.for_user(request.user), pk=pk)
    today = timezone.localdate()
    ancestors = list(unit.ancestors())
    visible = set(
        Unit.objects.for_user(request.user)
        .filter(pk__in=[a.pk for a in ancestors])
        .values_list("pk", flat=True)
    )
    context = {
        "unit": unit,
        # The breadcrumb links only the units above that the user may open themselves.
        "ancestors": [(ancestor, ancestor.pk in visible) for ancestor in ancestors],
        "codes": unit.codes.select_related("legal_basis").order_by("valid_from"),
        "children": unit.children.order_by("name"),
        "predecessors": queries.predecessors(unit),
        "successors": unit.successor_links.select_related("successor", "legal_basis").order_by(
            "successor__name"
        ),
        "inheritors": [] if unit.is_active_on(today) else queries.inheritors(unit, today),
        "assignments": unit.role_assignments.select_related("user").order_by("role", "user__username"),
        "can_administer": has_unit_permission(request.user, ADMINISTER, unit),
        "today": today,
        # The roles come through the reverse relation: units sit below accounts and do not import it.
        "roles": unit.role_assignments.model._meta.get_field("role").choices,
    }
    return render(request, "units/detail.html", context)
