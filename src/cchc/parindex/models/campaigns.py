"""A year's campaign: phases with deadlines, each unit's assessment, its items and their evidence."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.core.scoping import ScopedQuerySet, scope_filter


class Phase(models.TextChoices):
    PREPARATION = "preparation", _("Preparation")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    APPRAISAL = "appraisal", _("Appraisal")
    EXPLANATION = "explanation", _("Explanation")
    SECOND_APPRAISAL = "second_appraisal", _("Second appraisal")
    FINALISATION = "finalisation", _("Finalisation")
    PUBLISHED = "published", _("Published")


PHASE_ORDER = [choice.value for choice in Phase]
# The phase -> the campaign field holding the last day of that phase.
PHASE_DEADLINE_FIELDS = {
    Phase.SELF_ASSESSMENT: "self_assessment_until",
    Phase.APPRAISAL: "appraisal_until",
    Phase.EXPLANATION: "explanation_until",
    Phase.SECOND_APPRAISAL: "second_appraisal_until",
    Phase.FINALISATION: "finalisation_until",
}

DEFAULT_ANSWER_WEIGHTS = {"A": 100, "B": 60, "C": 20, "D": 0}


class CampaignQuerySet(ScopedQuerySet):
    """A campaign is seen by whoever sees its organiser, and by the people of a unit scored in it."""

    scope_path = "organiser__path"

    def scope(self, user: Any, action: str) -> models.Q:
        organiser = scope_filter(user, action, self.scope_path)
        if not organiser:  # an empty Q: the user's scope is everywhere
            return organiser
        scored = Assessment.objects.for_user(user, action).values("campaign_id")
        return organiser | models.Q(pk__in=scored)


class AssessmentQuerySet(ScopedQuerySet):
    """A scorecard is seen by whoever sees its unit; so are its items and their evidence."""

    scope_path = "unit__path"


class ItemQuerySet(ScopedQuerySet):
    scope_path = "assessment__unit__path"


class EvidenceQuerySet(ScopedQuerySet):
    scope_path = "item__assessment__unit__path"


class Campaign(models.Model):
    """The PAR Index of one year run by one province: its phase, the phases' deadlines, survey weights.

    Moving to the next phase locks the one before; `imported` marks a past year loaded from spreadsheets.
    """

    organiser = models.ForeignKey(
        "units.Unit",
        verbose_name=_("organising unit"),
        on_delete=models.PROTECT,
        related_name="par_campaigns",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.PREPARATION)
    self_assessment_until = models.DateField(_("self-assessment until"), null=True, blank=True)
    appraisal_until = models.DateField(_("appraisal until"), null=True, blank=True)
    explanation_until = models.DateField(_("explanation until"), null=True, blank=True)
    second_appraisal_until = models.DateField(_("second appraisal until"), null=True, blank=True)
    finalisation_until = models.DateField(_("finalisation until"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    answer_weights = models.JSONField(
        _("survey answer weights (%)"),
        default=dict,
        help_text=_("Answer letter -> percent of the question's points, e.g. A=100, B=60, C=20, D=0."),
    )
    answer_weights_basis = models.CharField(
        _("legal basis of the answer weights"), max_length=500, blank=True
    )
    imported = models.BooleanField(_("imported from spreadsheets"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("PAR Index campaign")
        verbose_name_plural = _("PAR Index campaigns")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["organiser", "year"], name="campaign_unique_year")]

    def __str__(self) -> str:
        return self.title

    def deadline(self, phase: str):
        field = PHASE_DEADLINE_FIELDS.get(Phase(phase))
        return getattr(self, field) if field else None

    def phase_index(self) -> int:
        return PHASE_ORDER.index(self.phase)


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Being self-assessed")
    SUBMITTED = "submitted", _("Self-assessment submitted")


class Assessment(models.Model):
    """One unit's scorecard in a campaign, on the criteria set of its type for that year."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="assessments"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="par_assessments"
    )
    criteria_set = models.ForeignKey(
        "parindex.CriteriaSet",
        verbose_name=_("criteria set"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["campaign", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="assessment_unique_unit")]

    def __str__(self) -> str:
        return f"{self.campaign.year} — {self.unit}"


class Item(models.Model):
    """A unit's score on one leaf, from self-assessment through appraisal, explanation and second appraisal.

    `version` grows with every save; a save that names an older version is refused, so two appraisers
    working on the same item cannot overwrite each other without seeing it.
    """

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="items"
    )
    criterion = models.ForeignKey(
        "parindex.Criterion", verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="items"
    )
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    self_input = models.CharField(_("what the unit reported"), max_length=200, blank=True)
    self_score = models.DecimalField(
        _("self-assessed score"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    unit_note = models.TextField(_("the unit's explanation of its score"), blank=True)
    auto_value = models.DecimalField(
        _("measured value"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    auto_source = models.TextField(_("where the measured value comes from"), blank=True)
    appraised_score = models.DecimalField(
        _("appraised score"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    appraisal_reason = models.TextField(_("reason for the adjustment"), blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appraised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    appraised_at = models.DateTimeField(_("appraised at"), null=True, blank=True)
    explanation = models.TextField(_("the unit's explanation to the appraisal"), blank=True)
    explained_at = models.DateTimeField(_("explained at"), null=True, blank=True)
    second_score = models.DecimalField(
        _("final appraised score"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    second_reason = models.TextField(_("reason of the second appraisal"), blank=True)
    second_at = models.DateTimeField(_("second appraisal at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment item")
        verbose_name_plural = _("assessment items")
        ordering = ["assessment", "criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="item_unique_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.assessment} — {self.criterion.code}"

    @property
    def final_score(self) -> Decimal | None:
        """The second appraisal's score where there was one, the first appraisal's otherwise."""
        return self.second_score if self.second_score is not None else self.appraised_score

    @property
    def adjusted(self) -> bool:
        return self.appraised_score is not None and self.appraised_score != self.self_score


class Evidence(models.Model):
    """A file a unit attaches to an item to prove its score (tài liệu kiểm chứng); never deleted."""

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to="parindex/evidence/%Y/")
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["item", "uploaded_at"]

    def __str__(self) -> str:
        return self.name
