"""Dictionary look-up in templates, for trees built in the view."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
