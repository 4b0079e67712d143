"""Links from any object page to its history in the audit trail."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from cchc.core.audit_display import present

register = template.Library()


@register.simple_tag
def history_url(obj) -> str:
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("core:history", args=[content_type.pk, str(obj.pk)])


@register.simple_tag(takes_context=True)
def audit_rows(context, entries):
    """The entries as the signed-in user reads them (see core.audit_display), resolved at once."""
    return present(entries, context["request"].user)


@register.filter
def history_visible_to(obj, user) -> bool:
    """Whether the object's history page (views/audit.py object_history) shows this user anything: it
    answers 404 when none of the object's entries is in the user's sight, so no link should lead there."""
    from cchc.core.models import AuditEntry

    return AuditEntry.objects.for_user(user).for_object(obj).exists()
