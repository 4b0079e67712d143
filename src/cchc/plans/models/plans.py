"""Plans, their reform areas and their measurable targets."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.plans.models.querysets import PlanPartQuerySet, PlanQuerySet, TargetPartQuerySet, UnitRowQuerySet
from cchc.units.models import UnitType


class ReformArea(models.Model):
    """A standard reform area (lĩnh vực CCHC), shipped as data with its legal basis (NQ 76/NQ-CP)."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    legal_basis = models.ForeignKey(
        "core.LegalDocument", verbose_name=_("legal basis"), null=True, blank=True, on_delete=models.PROTECT
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("reform area")
        verbose_name_plural = _("reform areas")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    CLOSED = "closed", _("Closed")


class Plan(models.Model):
    """A CCHC plan issued by a unit for one or several years; a unit plan points at the plan it implements."""

    issuing_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="plans"
    )
    number = models.CharField(
        _("number and symbol"), max_length=100, blank=True, help_text=_("e.g. 95/KH-UBND")
    )
    title = models.CharField(_("title"), max_length=500)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    year_from = models.PositiveSmallIntegerField(_("from year"))
    year_to = models.PositiveSmallIntegerField(_("to year"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("implements"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    source_document = models.FileField(_("source document"), upload_to="plans/%Y/", blank=True)
    # Storage may rename the file (spaces, a name already taken): people know it by its own name.
    source_name = models.CharField(_("source document's name"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year_from", "issuing_unit__path"]
        constraints = [
            models.CheckConstraint(condition=models.Q(year_to__gte=models.F("year_from")), name="plan_years"),
            models.UniqueConstraint(
                fields=["issuing_unit", "parent"],
                condition=models.Q(parent__isnull=False),
                name="one_unit_plan_per_parent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip() if self.number else self.title

    @property
    def unit(self):
        return self.issuing_unit


class PlanArea(models.Model):
    """An area as a plan words it: usually a standard area, sometimes the plan's own heading."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="areas")
    reform_area = models.ForeignKey(
        ReformArea, verbose_name=_("standard area"), null=True, blank=True, on_delete=models.PROTECT
    )
    title = models.CharField(_("title"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan area")
        verbose_name_plural = _("plan areas")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return self.title


class Comparator(models.TextChoices):
    GTE = ">=", "≥"
    GT = ">", ">"
    EQ = "=", "="
    LTE = "<=", "≤"
    LT = "<", "<"


def compare(value: Decimal, comparator: str, target: Decimal) -> bool:
    return {
        ">=": value >= target,
        ">": value > target,
        "=": value == target,
        "<=": value <= target,
        "<": value < target,
    }[comparator]


class TargetUnit(models.TextChoices):
    PERCENT = "%", "%"
    COUNT = "count", _("count")
    MONEY = "tỷ đồng", _("billion VND")
    RANK = "rank", _("rank")


class Target(models.Model):
    """A measurable commitment (chỉ tiêu): what, compared how, to which value, for which units."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets")
    area = models.ForeignKey(
        PlanArea,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="targets",
    )
    code = models.CharField(_("code"), max_length=30, blank=True)
    text = models.TextField(_("text"))
    measure = models.CharField(_("what is measured"), max_length=300, blank=True)
    comparator = models.CharField(
        _("comparator"), max_length=2, choices=Comparator.choices, default=Comparator.GTE
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=20, choices=TargetUnit.choices, default=TargetUnit.PERCENT)
    scope_types = models.JSONField(
        _("unit types in scope"), default=list, blank=True, help_text=_("Empty: every unit of the plan.")
    )
    scope_units = models.ManyToManyField(
        "units.Unit", verbose_name=_("named units in scope"), blank=True, related_name="+"
    )
    data_source = models.CharField(
        _("data source"),
        max_length=100,
        default="manual",
        help_text=_("“manual”, or the key of a published metric."),
    )
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=3, null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cascaded from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        return f"{self.code} {self.measure or self.text[:80]}".strip()

    def applies_to_type(self, unit_type: str) -> bool:
        return not self.scope_types or unit_type in self.scope_types

    @staticmethod
    def valid_scope_types() -> set[str]:
        return set(UnitType.values)


class TargetUnitValue(models.Model):
    """A target value for one unit where it differs from the plan's (e.g. 95 % for communes)."""

    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="unit_values"
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)

    objects = TargetPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("target value for a unit")
        verbose_name_plural = _("target values for units")
        constraints = [models.UniqueConstraint(fields=["target", "unit"], name="target_unit_value_unique")]

    def __str__(self) -> str:
        return f"{self.target} — {self.unit}: {self.value}"


class Measurement(models.Model):
    """A measured value of a target for one unit and period, kept as numerator and denominator.

    A quantity (a count, an amount) has no denominator. Rolled-up values are never stored: they are
    sums of the units' numerators and denominators, computed when read.
    """

    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="measurements"
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    period = models.CharField(
        _("period"), max_length=10, help_text=_("YYYY, YYYY-Qn, YYYY-H1, YYYY-M9 or YYYY-MM")
    )
    numerator = models.DecimalField(_("numerator"), max_digits=16, decimal_places=3)
    denominator = models.DecimalField(
        _("denominator"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    objects = UnitRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["target", "unit", "period"]
        constraints = [
            models.UniqueConstraint(fields=["target", "unit", "period"], name="measurement_unique"),
            models.CheckConstraint(
                condition=models.Q(denominator__isnull=True) | models.Q(denominator__gte=0),
                name="measurement_denominator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} — {self.unit} — {self.period}"
