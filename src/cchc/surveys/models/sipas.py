"""SIPAS campaigns: the questionnaire copied from a shipped template, quotas, invitations and responses."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.core.scoping import ScopedQuerySet, scope_filter


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Collecting answers")
    CLOSED = "closed", _("Closed")


class OverallFormula(models.TextChoices):
    """How the overall index is made of the element indices (domain.md §2.3 marks it unverified)."""

    MEAN_OF_ELEMENTS = "mean_of_elements", _("Mean of the element indices")
    POOLED = "pooled", _("Share of all satisfaction answers that are satisfied")


class CampaignQuerySet(ScopedQuerySet):
    """A campaign is seen by whoever may act on its organiser or on at least one unit it surveys."""

    scope_path = "organiser__path"

    def scope(self, user: Any, action: str) -> models.Q:
        organiser = scope_filter(user, action, self.scope_path)
        if not organiser:  # an empty Q: the user's scope is everywhere
            return organiser
        surveyed = UnitQuota.objects.filter(scope_filter(user, action, "unit__path")).values("campaign_id")
        return organiser | models.Q(pk__in=surveyed)


class ThroughCampaignQuerySet(ScopedQuerySet):
    """Parts of the questionnaire (elements, questions): seen with their campaign."""

    def scope(self, user: Any, action: str) -> models.Q:
        return models.Q(campaign__in=SurveyCampaign.objects.for_user(user, action).values("pk"))


class SurveyCampaign(models.Model):
    """A satisfaction survey of one year run by one province, with its questionnaire and formula."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    organiser = models.ForeignKey(
        "units.Unit",
        verbose_name=_("organising unit"),
        on_delete=models.PROTECT,
        related_name="sipas_campaigns",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("name"), max_length=300)
    template = models.CharField(_("template"), max_length=50)
    status = models.CharField(
        _("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    formula = models.CharField(
        _("overall index"),
        max_length=20,
        choices=OverallFormula.choices,
        default=OverallFormula.MEAN_OF_ELEMENTS,
    )
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-year", "code"]

    def __str__(self) -> str:
        return self.title


class ElementKind(models.TextChoices):
    SERVICE = "service", _("Service element")
    POLICY = "policy", _("Policy group")


class Element(models.Model):
    """One measured element: the five of service delivery, or a policy group (since 2022)."""

    campaign = models.ForeignKey(
        SurveyCampaign, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="elements"
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("name"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ElementKind.choices, default=ElementKind.SERVICE
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ThroughCampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey element")
        verbose_name_plural = _("survey elements")
        ordering = ["campaign", "position"]
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="element_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class QuestionKind(models.TextChoices):
    PERCEPTION = "perception", _("Perception (agree or not)")
    SATISFACTION = "satisfaction", _("Satisfaction, 1–5")
    EXPECTATION = "expectation", _("Expectation or priority")
    OPEN = "open", _("Open text")


class SurveyQuestion(models.Model):
    """A question of a campaign's questionnaire; satisfaction answers are 1 (very unsatisfied) to 5."""

    campaign = models.ForeignKey(
        SurveyCampaign, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions"
    )
    element = models.ForeignKey(
        Element,
        verbose_name=_("element"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="questions",
    )
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("question"))
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    options = models.JSONField(
        _("options"), default=list, blank=True, help_text=_("For perception and expectation questions.")
    )
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ThroughCampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="survey_question_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text[:80]}"


class UnitQuotaQuerySet(ScopedQuerySet):
    """A surveyed unit's quota and link: seen by whoever may act on that unit."""

    scope_path = "unit__path"


class UnitQuota(models.Model):
    """A unit surveyed in a campaign: its sample quota and the secret token of its public link."""

    campaign = models.ForeignKey(
        SurveyCampaign, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="quotas"
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    quota = models.PositiveIntegerField(_("sample quota"))
    link_token = models.CharField(_("link token"), max_length=40, unique=True)

    objects = UnitQuotaQuerySet.as_manager()

    class Meta:
        verbose_name = _("surveyed unit")
        verbose_name_plural = _("surveyed units")
        ordering = ["campaign", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="quota_unique_unit")]

    def __str__(self) -> str:
        return f"{self.campaign.code} — {self.unit}: {self.quota}"


class InvitationQuerySet(ScopedQuerySet):
    """Invitation codes: seen by whoever may act on the unit they are for."""

    scope_path = "unit__path"


class Invitation(models.Model):
    """A one-time code handed to a citizen (on a receipt, by SMS); it admits exactly one response."""

    campaign = models.ForeignKey(
        SurveyCampaign, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="invitations"
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("invitation code"), max_length=20, unique=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["campaign", "code"]

    def __str__(self) -> str:
        return self.code


class ResponseChannel(models.TextChoices):
    WEB = "web", _("Web form (link or QR code)")
    PAPER = "paper", _("Paper form entered by staff")
    IMPORT = "import", _("Imported from a spreadsheet")
    PHONE = "phone", _("Phone interview")


class ResponseQuerySet(ScopedQuerySet):
    """Responses: seen by whoever may act on the unit they are about."""

    scope_path = "unit__path"


class SurveyResponse(models.Model):
    """One respondent's answers. No personal data is asked; the receipt code proves the response exists."""

    campaign = models.ForeignKey(
        SurveyCampaign, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses"
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    receipt_code = models.CharField(_("receipt code"), max_length=20, unique=True)
    response_code = models.CharField(
        _("form number"), max_length=50, blank=True, help_text=_("The number of a paper or imported form.")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=ResponseChannel.choices)
    field = models.CharField(_("field (lĩnh vực)"), max_length=200, blank=True)
    answered_on = models.DateField(_("answered on"))
    invitation = models.OneToOneField(
        Invitation,
        verbose_name=_("invitation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="response",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["campaign", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "response_code"],
                condition=~models.Q(response_code=""),
                name="response_unique_form_number",
            )
        ]
        indexes = [models.Index(fields=["campaign", "unit", "answered_on"])]

    def __str__(self) -> str:
        # Not the receipt code: this text lands in the audit trail, which the unit's own staff read, and
        # the code is the respondent's private proof of their answers.
        return str(_("Survey form no. %(number)s") % {"number": self.pk})


class AnswerQuerySet(ScopedQuerySet):
    """Answers: seen with their response."""

    scope_path = "response__unit__path"


class SurveyAnswerValue(models.Model):
    """The answer to one question: `score` 1–5 for satisfaction, `text` for the other kinds."""

    response = models.ForeignKey(
        SurveyResponse, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        SurveyQuestion, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    text = models.TextField(_("answer given"), blank=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer given")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_unique_question"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5),
                name="answer_score_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response} {self.question.code}"
