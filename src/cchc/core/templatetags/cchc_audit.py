"""Links from any object page to its history in the audit trail."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

register = template.Library()


@register.simple_tag
def history_url(obj) -> str:
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("core:history", args=[content_type.pk, str(obj.pk)])
