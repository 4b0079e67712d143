"""Inspections of administrative reform (kiểm tra CCHC) and the findings that must be remedied."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.plans.models.querysets import FindingQuerySet, InspectionPlanQuerySet, InspectionQuerySet


class InspectionPlan(models.Model):
    """The year's inspection plan of a unit (usually the province): which units will be inspected."""

    issuing_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("issuing unit"),
        on_delete=models.PROTECT,
        related_name="inspection_plans",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.CharField(_("number and symbol"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=300)

    objects = InspectionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title

    @property
    def unit(self):
        return self.issuing_unit


class Inspection(models.Model):
    """One inspection of one unit: planned or unannounced, and what it concluded."""

    SCHEDULED = "scheduled"
    UNANNOUNCED = "unannounced"
    KINDS = [(SCHEDULED, _("Scheduled")), (UNANNOUNCED, _("Unannounced"))]

    plan = models.ForeignKey(
        InspectionPlan,
        verbose_name=_("inspection plan"),
        on_delete=models.CASCADE,
        related_name="inspections",
    )
    inspected_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("inspected unit"), on_delete=models.PROTECT, related_name="inspections"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS, default=SCHEDULED)
    planned_on = models.DateField(_("planned date"), null=True, blank=True)
    done_on = models.DateField(_("date carried out"), null=True, blank=True)
    team = models.CharField(_("inspection team"), max_length=300, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["plan", "planned_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "inspected_unit"], name="one_inspection_per_unit_and_plan"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan.year}: {self.inspected_unit}"

    @property
    def unit(self):
        return self.inspected_unit


class Finding(models.Model):
    """A problem an inspection found; tracked like a task until the remedy is verified."""

    OPEN = "open"
    REMEDIED = "remedied"
    VERIFIED = "verified"
    STATES = [(OPEN, _("To remedy")), (REMEDIED, _("Remedy reported")), (VERIFIED, _("Remedy verified"))]

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="findings"
    )
    area = models.ForeignKey(
        "plans.ReformArea",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("finding"))
    responsible_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="findings"
    )
    remedy_required = models.TextField(_("remedy required"))
    deadline = models.DateField(_("deadline"))
    state = models.CharField(_("state"), max_length=20, choices=STATES, default=OPEN)
    remedy_report = models.TextField(_("what was done"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="plans/findings/%Y/", blank=True)
    remedied_at = models.DateTimeField(_("remedy reported at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def unit(self):
        return self.responsible_unit
