"""The national side: check a package completely, then write it as a new revision, all or nothing.

Unit codes are resolved by `exchange.codes` on the package's month (PAR Index results on December of
their year); one-stop and metric rows that land on the same unit add up, except a metric sent as a
single value (no denominator), which refuses the package. Every check runs before the
first write; the writing is one transaction, behind a lock on the province's registration, so two
packages of one province at once get revisions one after the other (or "unchanged").
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from cchc.core import audit
from cchc.core.periods import Period
from cchc.exchange import package
from cchc.exchange.codes import resolve_codes
from cchc.exchange.models import (
    ExchangePackage,
    FieldMonthRow,
    MetricRow,
    PackageStatus,
    ParResultRow,
    ProvinceRegistration,
    TargetRow,
)
from cchc.exchange.package import ExchangeRefused
from cchc.onestop.models import ROLLUP_COUNTS
from cchc.units.models import Unit

UNCHANGED = "unchanged"


@dataclass
class Outcome:
    """What happened to a package: accepted as `revision`, unchanged (already received), or refused."""

    status: str
    message: str
    revision: int | None = None
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "revision": self.revision,
            "reason": self.reason,
            "message": self.message,
        }


def check(
    data: bytes, registration: ProvinceRegistration | None
) -> tuple[ProvinceRegistration, package.Package]:
    """The registration and the checked package; `registration` is the token's province (endpoint)."""
    manifest, raw, signature, archive = package.open_manifest(data)
    claimed = manifest.get("province", {}).get("code") if isinstance(manifest.get("province"), dict) else None
    if registration is None:
        registration = ProvinceRegistration.objects.filter(code=str(claimed)).select_related("unit").first()
        if registration is None:
            raise ExchangeRefused(
                "unknown_province", _("Province %(code)s is not registered here.") % {"code": claimed}
            )
    if not package.verify(raw, signature, package.load_public_key(registration.public_key)):
        others = ProvinceRegistration.objects.exclude(pk=registration.pk)
        if any(package.verify(raw, signature, package.load_public_key(o.public_key)) for o in others):
            raise ExchangeRefused(
                "wrong_key",
                _("The package is signed with another province's key, not that of %(code)s.")
                % {"code": registration.code},
            )
        raise ExchangeRefused(
            "bad_signature",
            _(
                "The signature does not match the manifest or the key of province %(code)s: the package was "
                "changed after signing or signed with another key."
            )
            % {"code": registration.code},
        )
    if str(claimed) != registration.code:
        raise ExchangeRefused(
            "out_of_scope",
            _("The package is for province %(claimed)s; this token sends only for %(code)s.")
            % {"claimed": claimed, "code": registration.code},
        )
    package.check_head(manifest)
    return registration, package.Package(manifest, package.read_rows(manifest, archive))


MAX_COUNT = 2**31 - 1  # the national count columns (PostgreSQL integer)
MAX_DECIMAL = Decimal(10) ** 18  # the national decimal columns: 18 digits before the point


def _merged(rows: list[dict[str, Any]], units: dict[str, Unit], key: str, fields: tuple[str, ...]):
    """Rows keyed by (unit, `key`), the numbers of rows that land on the same unit added up; a sum
    beyond the national columns refuses the package here, before anything is written."""
    merged: dict[tuple[int, str], dict[str, Any]] = {}
    for row in rows:
        unit = units[row["unit_code"]]
        slot = merged.setdefault(
            (unit.pk, row[key]), {"unit": unit, "sent_code": row["unit_code"], key: row[key]}
        )
        for name in fields:
            value = row[name]
            if value is None or (name in slot and slot[name] is None):
                slot[name] = None
                continue
            slot[name] = slot.get(name, 0) + (Decimal(value) if isinstance(value, str) else value)
            if abs(slot[name]) >= (MAX_DECIMAL if isinstance(slot[name], Decimal) else MAX_COUNT + 1):
                raise ExchangeRefused(
                    "malformed",
                    _("The rows of unit %(code)s add up to a %(column)s too large to keep.")
                    % {"code": row["unit_code"], "column": name},
                )
    return list(merged.values())


def _single_values(rows: list[dict[str, Any]], units: dict[str, Unit]) -> None:
    """Refuse two metric rows landing on one unit when either is a single value (no denominator):
    an hours figure or a count that already covers the unit's subtree does not add up, and the sum
    would be kept as if it were the unit's figure. Ratios add up (numerators and denominators)."""
    seen: dict[tuple[int, str], dict[str, Any]] = {}
    for row in rows:
        other = seen.setdefault((units[row["unit_code"]].pk, row["metric"]), row)
        if other is not row and (other["denominator"] is None or row["denominator"] is None):
            raise ExchangeRefused(
                "malformed",
                _(
                    "Metric %(metric)s is sent as a single value for both %(first)s and %(second)s, "
                    "which are one unit in this month: single values cannot be added up. Send it once, "
                    "under the unit's code of the month."
                )
                % {"metric": row["metric"], "first": other["unit_code"], "second": row["unit_code"]},
            )


def _par_rows(rows: list[dict[str, Any]], province: Unit) -> list[dict[str, Any]]:
    """PAR Index rows with their unit, each code read on December of the result's year."""
    result, seen = [], set()
    for year in sorted({row["year"] for row in rows}):
        of_year = [row for row in rows if row["year"] == year]
        units = resolve_codes({row["unit_code"] for row in of_year}, province, Period.parse(f"{year}-12"))
        for row in of_year:
            unit = units[row["unit_code"]]
            if (year, unit.pk) in seen:
                raise ExchangeRefused(
                    "malformed",
                    _("Two PAR Index results of %(year)s name the same unit (%(code)s).")
                    % {"year": year, "code": row["unit_code"]},
                )
            seen.add((year, unit.pk))
            kept = {name: value for name, value in row.items() if name != "unit_code"}
            result.append({**kept, "unit": unit, "sent_code": row["unit_code"]})
    return result


def _prepared(checked: package.Package, province: Unit, period: Period) -> dict[str, list[dict[str, Any]]]:
    """Every row of every kind ready to write (units resolved, sums made): all checks end here."""
    rows = checked.rows
    monthly = [
        row for kind in ("onestop_field_month", "metrics", "plan_targets") for row in rows.get(kind, [])
    ]
    units = resolve_codes({row["unit_code"] for row in monthly}, province, period)
    targets = [
        {
            **{k: v for k, v in row.items() if k != "unit_code"},
            "unit": units[row["unit_code"]],
            "sent_code": row["unit_code"],
        }
        for row in rows.get("plan_targets", [])
    ]
    _single_values(rows.get("metrics", []), units)
    return {
        "onestop_field_month": _merged(rows.get("onestop_field_month", []), units, "field", ROLLUP_COUNTS),
        "metrics": _merged(rows.get("metrics", []), units, "metric", ("numerator", "denominator")),
        "plan_targets": targets,
        "parindex_results": _par_rows(rows.get("parindex_results", []), province),
    }


MODELS = {
    "onestop_field_month": FieldMonthRow,
    "metrics": MetricRow,
    "plan_targets": TargetRow,
    "parindex_results": ParResultRow,
}


def _refused(data: bytes, error: ExchangeRefused, registration, actor: Any, via: str) -> Outcome:
    with transaction.atomic():
        entry = ExchangePackage.objects.create(
            registration=registration,
            status=PackageStatus.REFUSED,
            reason=error.reason,
            message=str(error),
            size=len(data),
            received_by=audit.signed_in(actor),
            via=via,
            province_code=registration.code if registration else "",
        )
        audit.record(
            actor=actor,
            action="exchange.refuse",
            obj=entry,
            reason=str(error),
            unit=registration.unit if registration else None,
        )
    return Outcome("refused", str(error), reason=error.reason)


def receive(data: bytes, *, registration: ProvinceRegistration | None, actor: Any, via: str) -> Outcome:
    """Check and write a package; refusals are logged (status refused) and write nothing else."""
    try:
        registration, checked = check(data, registration)
        period = Period.parse(checked.manifest["period"])
        prepared = _prepared(checked, registration.unit, period)
    except ExchangeRefused as error:
        return _refused(data, error, registration, actor, via)
    with transaction.atomic():
        # One package of a province at a time: without this lock two pushes of a month both read
        # "no revision yet" and both write revision 1 (the unique constraint would refuse the second
        # with a server error), or both store the same content twice.
        ProvinceRegistration.objects.select_for_update().filter(pk=registration.pk).first()
        accepted = ExchangePackage.objects.filter(
            registration=registration, period=period.key, status=PackageStatus.ACCEPTED
        )
        latest = accepted.order_by("-revision").first()
        if latest is not None and latest.content_hash == checked.content_hash:
            return Outcome(
                UNCHANGED,
                _("Already received, nothing changed (revision %(revision)s).")
                % {"revision": latest.revision},
                revision=latest.revision,
            )
        revision = (accepted.aggregate(Max("revision"))["revision__max"] or 0) + 1
        entry = ExchangePackage.objects.create(
            registration=registration,
            province_code=registration.code,
            period=period.key,
            revision=revision,
            status=PackageStatus.ACCEPTED,
            content_hash=checked.content_hash,
            manifest=checked.manifest,
            size=len(data),
            received_by=audit.signed_in(actor),
            via=via,
        )
        for kind, model in MODELS.items():
            model.objects.bulk_create(model(package=entry, **row) for row in prepared[kind])
        counts = {kind: len(kind_rows) for kind, kind_rows in checked.rows.items()}
        audit.record(
            actor=actor,
            action="exchange.accept",
            obj=entry,
            unit=registration.unit,
            after={"period": period.key, "revision": revision, "rows": counts},
        )
    return Outcome(
        "accepted",
        _("Accepted as revision %(revision)s of %(period)s.") % {"revision": revision, "period": period.key},
        revision=revision,
    )


def current(province_code: str, period: str) -> ExchangePackage | None:
    """The current package of a province and month: its latest accepted revision."""
    return (
        ExchangePackage.objects.filter(
            province_code=province_code, period=period, status=PackageStatus.ACCEPTED
        )
        .order_by("-revision")
        .first()
    )
