"""The people page, and granting or revoking roles from a unit's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.accounts import services
from cchc.accounts.forms import GrantRoleForm
from cchc.accounts.models import RoleAssignment
from cchc.accounts.permissions import ADMINISTER, has_unit_permission
from cchc.accounts.queries import users_for
from cchc.units.models import Unit


@login_required
def user_list(request):
    users = users_for(request.user).prefetch_related("role_assignments__unit").order_by("username")
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "query": ""})


@login_required
@require_POST
def grant_role(request, unit_pk: int):
    unit = get_object_or_404(Unit.objects.for_user(request.user), pk=unit_pk)
    if not has_unit_permission(request.user, ADMINISTER, unit):
        raise PermissionDenied
    form = GrantRoleForm(request.POST)
    if form.is_valid():
        user = form.cleaned_data["user"]
        services.grant_role(actor=request.user, user=user, unit=unit, role=form.cleaned_data["role"])
        messages.success(
            request, _("%(user)s now holds this role on %(unit)s.") % {"user": user, "unit": unit.name}
        )
    else:
        for error in form.errors.get("username", []) + form.errors.get("role", []):
            messages.error(request, str(error))
    return redirect("units:detail", pk=unit.pk)


@login_required
@require_POST
def revoke_role(request, pk: int):
    assignment = get_object_or_404(
        RoleAssignment.objects.filter(unit__in=Unit.objects.for_user(request.user)).select_related(
            "unit", "user"
        ),
        pk=pk,
    )
    if not has_unit_permission(request.user, ADMINISTER, assignment.unit):
        raise PermissionDenied
    services.revoke_role(actor=request.user, assignment=assignment)
    messages.success(request, _("The role was withdrawn."))
    return redirect("units:detail", pk=assignment.unit_id)
