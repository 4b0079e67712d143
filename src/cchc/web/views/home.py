"""The home page: the signed-in user's work ("Việc của tôi"), grouped by kind, most urgent first."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from cchc.accounts.models import Role
from cchc.web import work
from cchc.web.context_processors import navigation


@login_required
def dashboard(request):
    items = work.my_work(request.user, timezone.localdate())
    # The page has just computed everything: the sidebar's badges use these numbers, fresh.
    request.work_counts = work.remember_counts(request.user, items)
    held = set(work.roles_of(request.user).units)
    context = {
        "groups": work.grouped(items),
        "total": len(items),
        "overdue": sum(item.overdue for item in items),
        "is_focal": Role.FOCAL_POINT in held,
        "is_leader": Role.LEADER in held,
        "is_office": Role.REFORM_OFFICE in held,
        "is_appraiser": Role.APPRAISER in held,
    }
    return render(request, "web/my_work.html", context)


@login_required
def sidebar(request):
    """The sidebar's sections with their badges, computed: fetched by a page that did not have the
    numbers at hand (web/_sidebar_nav.html). `path` only marks the section being shown."""
    context = {"navigation": navigation(request, compute=True), "current_path": request.GET.get("path", "")}
    return render(request, "web/_sidebar_nav.html", context)
