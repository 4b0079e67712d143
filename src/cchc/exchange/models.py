"""The national instance's record of what provinces sent: who may send, each package, and its rows."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.core.scoping import ScopedQuerySet
from cchc.onestop.models.rollups import RollupCounts


class RegistrationQuerySet(ScopedQuerySet):
    """A registration is seen by whoever sees the province."""

    scope_path = "unit__path"


class PackageQuerySet(ScopedQuerySet):
    """A package is seen by whoever sees the province that sent it."""

    scope_path = "registration__unit__path"


class RowQuerySet(ScopedQuerySet):
    """A package's row is seen by whoever sees the province that sent it (its unit may be a historic
    unit outside today's province tree)."""

    scope_path = "package__registration__unit__path"


class ProvinceRegistration(models.Model):
    """A province allowed to send packages: its public key checks signatures, its token opens the endpoint.

    Only the token's SHA-256 is kept; the token itself is shown once, by `cchc exchange register-province`.
    """

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("code"), max_length=10, unique=True)
    public_key = models.CharField(_("public key"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registered province")
        verbose_name_plural = _("registered provinces")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.unit.name}"


class PackageStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


class ExchangePackage(models.Model):
    """One package received: accepted ones carry a revision (1, 2, … per province and period, the
    latest is current), refused ones the reason, and nothing else was written for them."""

    registration = models.ForeignKey(
        ProvinceRegistration, null=True, blank=True, on_delete=models.PROTECT, related_name="packages"
    )
    province_code = models.CharField(_("province code"), max_length=10, blank=True)
    period = models.CharField(_("period"), max_length=7, blank=True)
    revision = models.PositiveIntegerField(_("revision"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PackageStatus.choices)
    reason = models.CharField(max_length=40, blank=True)
    message = models.TextField(_("reason"), blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    manifest = models.JSONField(null=True, blank=True)
    size = models.PositiveIntegerField(default=0)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    via = models.CharField(max_length=20, blank=True)  # "api" or "command"

    objects = PackageQuerySet.as_manager()

    class Meta:
        verbose_name = _("exchange package")
        verbose_name_plural = _("exchange packages")
        ordering = ["province_code", "period", "revision", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "period", "revision"],
                condition=Q(status="accepted"),
                name="exchange_package_revision_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.province_code} {self.period} r{self.revision or '-'} {self.status}"


class PackageRow(models.Model):
    """What every row of a package carries: its package (revision), the unit it was resolved to, and
    the code the province sent (a pre-2025 code mapped to its successor keeps the code sent here)."""

    package = models.ForeignKey(ExchangePackage, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    sent_code = models.CharField(max_length=50)

    objects = RowQuerySet.as_manager()

    class Meta:
        abstract = True


class FieldMonthRow(PackageRow, RollupCounts):
    """One unit's own one-stop counts in one field for the package's month (data/onestop_field_month)."""

    field = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["package", "unit", "field"], name="exchange_field_row_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sent_code} {self.field}"


class MetricRow(PackageRow):
    """One published metric of one unit for the package's month (data/metrics)."""

    metric = models.CharField(max_length=255)
    numerator = models.DecimalField(max_digits=24, decimal_places=6)
    denominator = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["package", "unit", "metric"], name="exchange_metric_row_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sent_code} {self.metric}"


class TargetRow(PackageRow):
    """One target of an issued plan of the province, read for the province and the package's month
    (data/plan_targets): what it promises (comparator, goal) and where it stands (value, state)."""

    plan_number = models.CharField(max_length=100, blank=True)
    plan_title = models.TextField()
    position = models.PositiveIntegerField()  # the target's place in its plan, from 1
    target_code = models.CharField(max_length=255, blank=True)
    target_text = models.TextField()
    measure_unit = models.CharField(max_length=255)
    comparator = models.CharField(max_length=2)
    goal = models.DecimalField(max_digits=24, decimal_places=6)
    value = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    state = models.CharField(max_length=10)
    # No unique constraint: the title is long text (an index on it may exceed PostgreSQL's limit);
    # `package.read_rows` refuses a package that repeats a row's key.

    def __str__(self) -> str:
        return f"{self.plan_number} {self.target_code or self.position}"


class ParResultRow(PackageRow):
    """One unit's published PAR Index result of one year (data/parindex_results); `unit` is the unit
    that carried the code at the end of that year."""

    year = models.PositiveSmallIntegerField()
    unit_type = models.CharField(max_length=255)
    index = models.DecimalField(max_digits=24, decimal_places=6)
    rank = models.PositiveIntegerField()
    band = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["package", "year", "unit"], name="exchange_par_row_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.sent_code}"


class SubmissionDeadline(models.Model):
    """When a month's package is due: `day` of the following month, for the months from `applies_from`
    on (the latest rule whose start is not after the month applies), with the text that sets it.

    The rule shipped is an assumption ([I]): no text fixing the day was at hand; replace it when the
    Ministry issues one, with a new row from the month it takes effect, so that past months keep theirs.
    """

    applies_from = models.CharField(_("applies from (month)"), max_length=7, unique=True)
    day = models.PositiveSmallIntegerField(_("day of the following month"))
    legal_basis = models.CharField(_("legal basis"), max_length=500)
    verified = models.BooleanField(_("verified against the text"), default=False)

    class Meta:
        verbose_name = _("submission deadline")
        verbose_name_plural = _("submission deadlines")
        ordering = ["applies_from"]
        constraints = [
            models.CheckConstraint(condition=Q(day__gte=1, day__lte=28), name="exchange_deadline_day_range")
        ]

    def __str__(self) -> str:
        return f"{self.applies_from}: {self.day}"
