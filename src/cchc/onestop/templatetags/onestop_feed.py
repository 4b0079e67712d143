"""Filters of the live feed pages: lag in words, and who may see the feed tab."""

from django import template
from django.utils.translation import gettext as _

from cchc.onestop.feed.sources import may_manage

register = template.Library()


@register.filter
def may_manage_feed(user) -> bool:
    """The feed pages refuse all but the province's administrators, so their tab is hidden from others."""
    return may_manage(user)


@register.filter
def lag(seconds) -> str:
    """A lag in minutes, hours or days, as an official reads it ("2 giờ 5 phút"); "—" when unknown."""
    if seconds is None or seconds == "":  # "" from a missing run (a lookup on None in a template)
        return "—"
    minutes = max(0, int(seconds)) // 60
    if minutes < 60:
        return _("%(minutes)s min") % {"minutes": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    return _("%(days)s days") % {"days": hours // 24}
