"""The sociological-survey component (điều tra xã hội học): questionnaires, questions and answers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.core.scoping import ScopedQuerySet


class QuestionnaireQuerySet(ScopedQuerySet):
    """The survey is the organiser's: its questionnaires, questions and answers are scoped to it."""

    scope_path = "campaign__organiser__path"


class QuestionQuerySet(ScopedQuerySet):
    scope_path = "questionnaire__campaign__organiser__path"


class SurveyAnswerQuerySet(ScopedQuerySet):
    scope_path = "question__questionnaire__campaign__organiser__path"


class Questionnaire(models.Model):
    """The questions one group of respondents answers about the units of one criteria set in a campaign."""

    campaign = models.ForeignKey(
        "parindex.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="questionnaires",
    )
    criteria_set = models.ForeignKey(
        "parindex.CriteriaSet",
        verbose_name=_("criteria set of the units asked about"),
        on_delete=models.PROTECT,
        related_name="questionnaires",
    )
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("title"), max_length=300)
    respondent_group = models.CharField(_("respondent group"), max_length=300)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey questionnaire")
        verbose_name_plural = _("survey questionnaires")
        ordering = ["campaign", "code"]
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="questionnaire_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class Question(models.Model):
    """A question worth `max_points` of a survey leaf; its score = max points × mean weight of its answers."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="questions"
    )
    criterion = models.ForeignKey(
        "parindex.Criterion", verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="questions"
    )
    code = models.CharField(_("code"), max_length=30)
    text = models.TextField(_("question"))
    max_points = models.DecimalField(_("maximum points"), max_digits=7, decimal_places=2)
    position = models.PositiveIntegerField(_("order"), default=0)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["questionnaire", "position"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "code"], name="question_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.text[:80]}"


class AnswerChannel(models.TextChoices):
    ONLINE = "online", _("Entered online")
    IMPORT = "import", _("Imported from a spreadsheet")


class SurveyAnswer(models.Model):
    """One respondent's answer (a letter such as A–D) to one question about one unit."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("assessed unit"), on_delete=models.PROTECT, related_name="+"
    )
    respondent = models.CharField(_("respondent code"), max_length=50)
    answer = models.CharField(_("answer"), max_length=5)
    channel = models.CharField(_("channel"), max_length=10, choices=AnswerChannel.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    objects = SurveyAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["question", "unit", "respondent"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "unit", "respondent"], name="answer_unique_respondent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question.code} — {self.respondent}: {self.answer}"
