"""Form rendering: one field template for every form of the product.

Settings point `FORM_RENDERER` at `FormRenderer`, so `{{ form.name.as_field_group }}` (and
`{{ form }}`) draw each field with `kit/field.html`: the label, the widget, help text and errors, in
Bootstrap's markup, with checkboxes and radio buttons laid out as Bootstrap expects.
"""

from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    """Django's template renderer with the kit's field template."""

    field_template_name = "kit/field.html"
