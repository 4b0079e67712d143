"""Values every page needs: whether this is demonstration data, and the navigation with its badges."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from cchc.core.settings_store import is_demo
from cchc.exchange.national.provinces import may_compare
from cchc.exchange.views import may_view as may_view_packages
from cchc.web import work


def site(request):
    return {"demo_mode": is_demo(), "navigation": SimpleLazyObject(lambda: navigation(request))}


class Navigation(list):
    """The sidebar's entries; `counted` is False when the badges' numbers were not at hand (the page
    then asks for them after it has loaded, so that no page pays for the whole work list)."""

    counted = True


# Sections in the order officials use them: first what waits for the user. `badge` names the count
# (web.work.counts) shown beside the entry: the section's own URL name, or the total for "My work".
NAVIGATION = [
    {"url": "web:dashboard", "icon": "inbox", "label": _("My work"), "badge": work.TOTAL},
    {"url": "web:overview", "icon": "speedometer2", "label": _("Overview")},
    {"url": "plans:plan-list", "icon": "clipboard-check", "label": _("Plans and tasks")},
    {"url": "plans:inspection-plans", "icon": "search", "label": _("Inspections")},
    {"url": "onestop:dashboard", "icon": "folder2-open", "label": _("One-stop dossiers")},
    {"url": "parindex:campaigns", "icon": "bar-chart-line", "label": _("PAR Index")},
    {"url": "surveys:campaigns", "icon": "emoji-smile", "label": _("Satisfaction surveys")},
    {"url": "units:tree", "icon": "diagram-3", "label": _("Units")},
    {"url": "accounts:users", "icon": "people", "label": _("People and roles")},
    {"url": "workdays:calendar", "icon": "calendar3", "label": _("Working days")},
    {"url": "core:audit", "icon": "journal-text", "label": _("Audit trail")},
    {"url": "webhooks:list", "icon": "broadcast", "label": _("Connected systems")},
    # Only on the national instance (CCHC_NATIONAL): what the provinces sent.
    {
        "url": "exchange:packages",
        "icon": "inboxes",
        "label": _("Exchange packages"),
        "setting": "CCHC_NATIONAL",
        "visible": may_view_packages,
    },
    {
        "url": "exchange:compare",
        "icon": "grid-3x3",
        "label": _("Provinces compared"),
        "setting": "CCHC_NATIONAL",
        "visible": may_compare,
    },
    {
        "url": "exchange:submissions",
        "icon": "calendar-check",
        "label": _("Submission status"),
        "setting": "CCHC_NATIONAL",
        "visible": may_compare,
    },
]


def navigation(request, *, compute: bool = False) -> Navigation:
    """The entries with their address and, for a signed-in user, their number of waiting items.

    Read only when a page draws the sidebar. The numbers come from the per-user cache (one cache read);
    the home page, which computes the whole list anyway, hands its fresh numbers over instead. When
    neither has them the entries go without badges, and the sidebar fetches itself again from
    `web:navigation`, which computes them (`compute=True`).
    """
    user = getattr(request, "user", None)
    counts: dict[str, int] | None = {}
    if user is not None and user.is_authenticated:
        counts = getattr(request, "work_counts", None)
        if counts is None:
            counts = work.counts(user) if compute else work.cached_counts(user)
    entries = Navigation()
    entries.counted = counts is not None
    counts = counts or {}
    for entry in NAVIGATION:
        if "setting" in entry and not getattr(settings, entry["setting"], False):
            continue
        if "visible" in entry and not entry["visible"](user):  # a section only some people may open
            continue
        try:
            href = reverse(entry["url"])
        except NoReverseMatch:  # a section this installation does not have (yet)
            continue
        badge = entry.get("badge", entry["url"])
        entries.append({**entry, "href": href, "count": counts.get(badge, 0)})
    return entries
