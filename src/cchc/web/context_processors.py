"""Values every page needs: whether this is demonstration data, and the navigation."""

from django.utils.translation import gettext_lazy as _

from cchc.core.settings_store import is_demo


def site(request):
    return {"demo_mode": is_demo(), "navigation": NAVIGATION}


# Sections in the order officials use them; those not built yet lead to a page that says so.
NAVIGATION = [
    {"url": "web:dashboard", "icon": "speedometer2", "label": _("Overview")},
    {"url": "plans:plan-list", "icon": "clipboard-check", "label": _("Plans and tasks")},
    {"url": "plans:inspection-plans", "icon": "search", "label": _("Inspections")},
    {"url": "onestop:dashboard", "icon": "folder2-open", "label": _("One-stop dossiers")},
    {"url": "parindex:campaigns", "icon": "bar-chart-line", "label": _("PAR Index")},
    {"url": "surveys:campaigns", "icon": "emoji-smile", "label": _("Satisfaction surveys")},
    {"url": "units:tree", "icon": "diagram-3", "label": _("Units")},
    {"url": "accounts:users", "icon": "people", "label": _("People and roles")},
    {"url": "workdays:calendar", "icon": "calendar3", "label": _("Working days")},
    {"url": "core:audit", "icon": "journal-text", "label": _("Audit trail")},
]
