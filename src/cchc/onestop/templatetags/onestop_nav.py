"""What the one-stop tabs may offer the user, by the same rules the views apply."""

from django import template

from cchc.onestop.forms import import_kinds_for

register = template.Library()


@register.filter
def may_import(user) -> bool:
    """The imports page refuses whoever may import nothing (views/imports.py), so its tab is hidden."""
    return bool(import_kinds_for(user))
