"""`kit.views.form_errors_as_text`: a small form's problems as one line, each after its field's label."""

from django import forms

from cchc.kit.views import form_errors_as_text


class CodesForm(forms.Form):
    count = forms.IntegerField(label="Số mã", min_value=1)
    unit = forms.IntegerField(label="Đơn vị")
    status = forms.CharField(label="")


def test_each_fields_errors_follow_its_label_on_one_line():
    form = CodesForm({"count": "0", "unit": "", "status": ""})
    assert not form.is_valid()
    text = form_errors_as_text(form)
    assert text.startswith("Số mã: ") and " Đơn vị: " in text
    assert str(form.errors["count"][0]) in text and str(form.errors["unit"][0]) in text
    assert text.endswith(str(form.errors["status"][0]))  # a field without a label: its error alone
    assert "\n" not in text


def test_a_form_error_without_a_field_has_no_label():
    form = CodesForm({"count": "2", "unit": "1", "status": "x"})
    assert form.is_valid()
    form.add_error(None, "Đợt khảo sát đã đóng.")
    assert form_errors_as_text(form) == "Đợt khảo sát đã đóng."


def test_a_valid_form_has_no_text():
    form = CodesForm({"count": "2", "unit": "1", "status": "x"})
    assert form.is_valid() and form_errors_as_text(form) == ""
