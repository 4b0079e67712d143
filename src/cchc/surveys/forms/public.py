"""Forms of the citizens' public pages. They shape what was typed and mark each question's problems;
the services check the rules again and have the last word."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from cchc.surveys.models import FeedbackKind, FeedbackRating, QuestionKind, SurveyQuestion

LARGE_TEXT = {"class": "form-control form-control-lg"}
# Bootstrap's toggle buttons: the radio is hidden and its label is the large button one taps.
TOGGLE = {"class": "btn-check", "autocomplete": "off"}

# The five points of the SIPAS satisfaction scale, 1 the worst.
SCALE = [
    ("1", _("Very dissatisfied")),
    ("2", _("Dissatisfied")),
    ("3", _("Neutral")),
    ("4", _("Satisfied")),
    ("5", _("Very satisfied")),
]
ANSWER_REQUIRED = {"required": _("Please answer this question.")}


class PublicForm(forms.Form):
    """The browser's own checks are off: the page explains problems in the site's language."""

    use_required_attribute = False

    def has_field_errors(self) -> bool:
        return any(name != NON_FIELD_ERRORS for name in self.errors)


def _question_field(question: SurveyQuestion) -> forms.Field:
    if question.kind == QuestionKind.SATISFACTION:
        return forms.ChoiceField(
            label=question.text,
            choices=SCALE,
            required=question.required,
            widget=forms.RadioSelect(attrs=TOGGLE),
            error_messages=ANSWER_REQUIRED,
        )
    if question.kind in (QuestionKind.PERCEPTION, QuestionKind.EXPECTATION) and question.options:
        return forms.ChoiceField(
            label=question.text,
            choices=[(option, option) for option in question.options],
            required=question.required,
            widget=forms.RadioSelect(attrs=TOGGLE),
            error_messages=ANSWER_REQUIRED,
        )
    return forms.CharField(
        label=question.text,
        max_length=2000,
        required=question.required,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        error_messages=ANSWER_REQUIRED,
    )


class SurveyForm(PublicForm):
    """A unit's questionnaire: one field per question, named after its code, and no personal data."""

    invitation = forms.CharField(
        label=_("Invitation code, if you were given one"),
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs=LARGE_TEXT | {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    field = forms.CharField(
        label=_("Field of the procedure you carried out (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=LARGE_TEXT),
    )

    def __init__(self, *args: Any, questions: Iterable[SurveyQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[self.name_for(question)] = _question_field(question)

    @staticmethod
    def name_for(question: SurveyQuestion) -> str:
        return f"q-{question.code}"

    def answers(self) -> dict[str, str]:
        """The answers by question code, as the service takes them; unanswered questions are left out."""
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(self.name_for(question)) or ""
            if value:
                answers[question.code] = value
        return answers


class FeedbackForm(PublicForm):
    """A citizen's feedback or recommendation; a way to be contacted is optional and never published."""

    kind = forms.ChoiceField(
        label=_("What is it about?"),
        choices=FeedbackKind.choices,
        widget=forms.RadioSelect(attrs=TOGGLE),
        error_messages={"required": _("Please choose what your feedback is about.")},
    )
    title = forms.CharField(label=_("Subject"), max_length=300, widget=forms.TextInput(attrs=LARGE_TEXT))
    content = forms.CharField(
        label=_("Your feedback or recommendation"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 6}),
    )
    procedure_code = forms.CharField(
        label=_("Code of the procedure or dossier it concerns (optional)"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs=LARGE_TEXT | {"autocomplete": "off"}),
    )
    contact = forms.CharField(
        label=_("How we can reach you (optional)"),
        help_text=_(
            "A phone number or an e-mail address, only if you want to be contacted. It is never published."
        ),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=LARGE_TEXT),
    )
    consent_to_publish = forms.BooleanField(
        label=_("The answer to my feedback may be published on this site (without my contact details)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class ReceiptCodeField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=20, widget=forms.HiddenInput, **kwargs)

    def clean(self, value: Any) -> str:
        return str(super().clean(value)).strip().upper()


class RateForm(PublicForm):
    """The citizen's rating of the answer, sent with the receipt code."""

    code = ReceiptCodeField()
    rating = forms.ChoiceField(
        label=_("Are you satisfied with the answer?"),
        choices=FeedbackRating.choices,
        widget=forms.RadioSelect(attrs=TOGGLE),
        error_messages={"required": _("Choose satisfied or not satisfied.")},
    )


class ReopenForm(PublicForm):
    """A request to handle the feedback again, with the reason, sent with the receipt code."""

    code = ReceiptCodeField()
    reason = forms.CharField(
        label=_("Why should your feedback be handled again?"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
    )
