"""What the citizen-feedback tabs may offer the user, by the same rule the views apply."""

from django import template

from cchc.surveys.views.feedback import may_enter_feedback

register = template.Library()

register.filter("may_enter_feedback", may_enter_feedback)
