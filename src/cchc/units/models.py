"""Administrative units, their codes over time, and how they descend from one another."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.core.scoping import VIEW, ScopedQuerySet, scope_filter

PATH_STEP = 9  # digits per level of the materialised path: room for a billion units


class UnitType(models.TextChoices):
    PROVINCE = "province", _("Province")
    AGENCY = "agency", _("Provincial agency")
    # Scored on a PAR Index set of their own (e.g. tax, treasury, social insurance offices).
    CENTRAL = "central", _("Central agency located in the province")
    DISTRICT = "district", _("District (until 30/06/2025)")
    COMMUNE = "commune", _("Commune, ward or special zone")
    SUBUNIT = "subunit", _("Sub-unit (division, centre)")


def active_on_q(on: datetime.date, prefix: str = "") -> Q:
    """Rows whose [valid_from, valid_to] range contains `on`; open ends are unbounded."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": on})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


class UnitQuerySet(models.QuerySet):
    def active_on(self, on: datetime.date):
        return self.filter(active_on_q(on))

    def subtree(self, unit: "Unit"):
        """The unit and everything below it: one indexed prefix match on the path."""
        return self.filter(path__startswith=unit.path)

    def by_code(self, code: str, on: datetime.date | None = None):
        """Units that carried `code` on the given date (or at any time when no date is given)."""
        codes = UnitCode.objects.filter(code=code)
        if on is not None:
            codes = codes.filter(active_on_q(on))
        return self.filter(pk__in=codes.values("unit_id"))

    def for_user(self, user, action: str = VIEW):
        return self.filter(scope_filter(user, action, "path"))


class Unit(models.Model):
    """An administrative unit or agency: a province, a department, a commune, a division inside one.

    Identified by a surrogate id, never by its code, because codes were reused with new meanings
    in 2025. The parent is fixed for the unit's life: when a unit moves or merges, a new unit is
    created and a lineage row links the two.
    """

    name = models.CharField(_("name"), max_length=255)
    type = models.CharField(_("type"), max_length=20, choices=UnitType.choices, db_index=True)
    kind = models.CharField(
        _("kind"),
        max_length=100,
        blank=True,
        help_text=_("The unit's own word: Sở, Ban, Xã, Phường, Đặc khu…"),
    )
    code = models.CharField(
        _("code"),
        max_length=50,
        db_index=True,
        help_text=_("The unit's latest code; the full history is below."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.code else self.name

    def is_active_on(self, on: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or self.valid_to >= on
        )

    def ancestor_paths(self) -> list[str]:
        """The paths of this unit and every unit above it, nearest last."""
        steps = len(self.path) // (PATH_STEP + 1)
        return [self.path[: (i + 1) * (PATH_STEP + 1)] for i in range(steps)]

    def ancestors(self):
        return Unit.objects.filter(path__in=self.ancestor_paths()[:-1]).order_by("depth")


class UnitCode(models.Model):
    """A code a unit carried during a period. The same code may belong to another unit in another period."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("code"), max_length=50, db_index=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_basis = models.ForeignKey(
        "core.LegalDocument", verbose_name=_("legal basis"), null=True, blank=True, on_delete=models.PROTECT
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit code")
        verbose_name_plural = _("unit codes")
        ordering = ["unit", "valid_from"]

    def __str__(self) -> str:
        return self.code


class LineageRelation(models.TextChoices):
    MERGE = "merge", _("Merge")
    SPLIT = "split", _("Split")
    RENAME = "rename", _("Rename")
    TRANSFER = "transfer", _("Transfer to another parent")


class UnitLineageQuerySet(ScopedQuerySet):
    """A merge or split is seen by whoever sees the unit that continues it (who sees a unit sees its
    history)."""

    scope_path = "successor__path"


class UnitLineage(models.Model):
    """An edge from an old unit to a unit that continues it, with the share it inherits.

    `weight` is the part of the predecessor (by area, population or dossier volume, as the
    legal basis says) that passes to the successor: 1 for a whole merge or a rename; for a split
    the weights of one predecessor's edges add up to 1.
    """

    predecessor = models.ForeignKey(
        Unit, verbose_name=_("predecessor"), on_delete=models.PROTECT, related_name="successor_links"
    )
    successor = models.ForeignKey(
        Unit, verbose_name=_("successor"), on_delete=models.PROTECT, related_name="predecessor_links"
    )
    relation = models.CharField(_("relation"), max_length=20, choices=LineageRelation.choices)
    effective_date = models.DateField(_("effective date"))
    weight = models.DecimalField(_("share inherited"), max_digits=9, decimal_places=6, default=1)
    area_share = models.DecimalField(_("area share"), max_digits=9, decimal_places=6, null=True, blank=True)
    population_share = models.DecimalField(
        _("population share"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    legal_basis = models.ForeignKey(
        "core.LegalDocument", verbose_name=_("legal basis"), null=True, blank=True, on_delete=models.PROTECT
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = UnitLineageQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit lineage")
        verbose_name_plural = _("unit lineage")
        ordering = ["effective_date", "predecessor_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor", "effective_date"], name="lineage_unique"
            ),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="lineage_not_self"),
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(weight__lte=1), name="lineage_weight_range"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.get_relation_display()}, {self.weight})"
