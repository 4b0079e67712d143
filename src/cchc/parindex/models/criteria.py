"""Criteria sets of the PAR Index: a tree of areas, criteria and sub-criteria per year and unit type."""

from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.core.scoping import ScopedQuerySet, has_any_permission
from cchc.units.models import UnitType


class Method(models.TextChoices):
    """How a leaf turns what the unit reports into points (domain.md §1.5)."""

    MANUAL = "manual", _("Points entered")
    YES_NO = "yes_no", _("Done or not done")
    TIERED = "tiered", _("Tiers (on time, late, not done…)")
    RATE = "rate", _("Proportional to a rate")
    DEDUCTION = "deduction", _("Deduction per occurrence")
    BONUS = "bonus", _("Bonus points")
    PENALTY = "penalty", _("Penalty points")
    METRIC = "metric", _("Automatic from a system metric")
    SURVEY = "survey", _("Sociological survey")


# Bonus and penalty leaves move the total but are not part of the maximum (domain.md §1.5).
OUTSIDE_MAXIMUM = frozenset({Method.BONUS, Method.PENALTY})
# Scored by the system, not entered by the unit.
COMPUTED = frozenset({Method.METRIC, Method.SURVEY})


class NotApplicableRule(models.TextChoices):
    EXCLUDE = "exclude", _("Removed from the unit's maximum")
    FULL = "full", _("Awarded full points")


class Level(models.TextChoices):
    """Who is assessed on a set and who appraises: a province scores its own agencies and communes;
    the Ministry of Home Affairs scores the provinces (the provincial PAR Index, national instance)."""

    LOCAL = "local", _("The province's own units, appraised by the province")
    PROVINCIAL = "provincial", _("Provinces, appraised by the Ministry (provincial PAR Index)")


def level_of(unit_type: str) -> str:
    """A set for provinces is the provincial PAR Index; every other unit type is scored locally."""
    return Level.PROVINCIAL if unit_type == UnitType.PROVINCE else Level.LOCAL


class CriteriaSetQuerySet(ScopedQuerySet):
    """Criteria sets belong to no unit: they are the province's published rules, read by anyone who
    may `action` on some unit."""

    def scope(self, user: Any, action: str) -> models.Q:
        return models.Q() if has_any_permission(user, action) else models.Q(pk__in=[])


class CriterionQuerySet(CriteriaSetQuerySet):
    """Criteria are read with their set."""


class CriteriaSet(models.Model):
    """The criteria the province scores one type of unit on in one year, with its legal basis.

    A set is locked once a campaign has scores on it: the next year's set starts as a clone.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    unit_type = models.CharField(_("unit type"), max_length=20, choices=UnitType.choices)
    title = models.CharField(_("title"), max_length=300)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.LOCAL)
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)
    verified = models.BooleanField(_("verified against the text"), default=False)
    cloned_from = models.ForeignKey(
        "self", verbose_name=_("cloned from"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CriteriaSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["-year", "unit_type"]
        constraints = [
            models.UniqueConstraint(fields=["year", "unit_type"], name="criteria_set_unique"),
            models.CheckConstraint(
                condition=(models.Q(level="provincial") & models.Q(unit_type="province"))
                | (models.Q(level="local") & ~models.Q(unit_type="province")),
                name="criteria_set_level_matches_unit_type",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def maximum(self) -> Decimal:
        """The points of all leaves that count in the maximum (bonus and penalty do not)."""
        leaves = self.criteria.exclude(method="").exclude(method__in=OUTSIDE_MAXIMUM)
        return sum((leaf.max_points for leaf in leaves), Decimal("0"))


class Criterion(models.Model):
    """A node of the tree: an area (no parent), a criterion or a sub-criterion.

    Only leaves (rows with a method) are scored; a parent's maximum is the sum of its children's.
    """

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.CASCADE, related_name="criteria"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("title"), max_length=500)
    position = models.PositiveIntegerField(_("order"), default=0)
    max_points = models.DecimalField(_("maximum points"), max_digits=7, decimal_places=2)
    method = models.CharField(_("scoring method"), max_length=20, choices=Method.choices, blank=True)
    threshold = models.DecimalField(
        _("threshold T (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    tiers = models.JSONField(
        _("tiers"), default=list, blank=True, help_text=_("A list of {label, percent} pairs.")
    )
    per_occurrence = models.DecimalField(
        _("points deducted per occurrence"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    floor = models.DecimalField(_("lowest score"), max_digits=7, decimal_places=2, null=True, blank=True)
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    not_applicable_rule = models.CharField(
        _("when not applicable"),
        max_length=10,
        choices=NotApplicableRule.choices,
        default=NotApplicableRule.EXCLUDE,
    )
    metric = models.CharField(_("metric"), max_length=100, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)

    objects = CriterionQuerySet.as_manager()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["criteria_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_code_unique"),
            models.CheckConstraint(condition=models.Q(max_points__gte=0), name="criterion_max_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    @property
    def is_leaf(self) -> bool:
        return bool(self.method)

    @property
    def counts_in_maximum(self) -> bool:
        return self.method not in OUTSIDE_MAXIMUM


class Band(models.Model):
    """A classification band of one year's results: an index of at least `min_index` gets `label`."""

    year = models.PositiveSmallIntegerField(_("year"))
    label = models.CharField(_("classification"), max_length=100)
    min_index = models.DecimalField(_("from index (%)"), max_digits=6, decimal_places=2)
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("classification band")
        verbose_name_plural = _("classification bands")
        ordering = ["-year", "-min_index"]
        constraints = [models.UniqueConstraint(fields=["year", "label"], name="band_unique_label")]

    def __str__(self) -> str:
        return f"{self.year}: {self.label} ≥ {self.min_index}"
