"""Classification bands, stored per year because each year's decision may draw them differently."""

import json
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cchc.accounts.permissions import PLAN
from cchc.core import audit
from cchc.kit.parsers import parse_number
from cchc.parindex.models import Band, Result
from cchc.parindex.services.common import require_global
from cchc.parindex.services.criteria import DATA


@transaction.atomic
def set_bands(*, actor: Any, year: int, bands: list[dict[str, Any]], legal_basis: str = "") -> list[Band]:
    """Replace the year's bands; refused once results of that year are published."""
    require_global(actor, PLAN)
    if Result.objects.filter(campaign__year=year, campaign__phase="published").exists():
        raise ValidationError(
            _("The %(year)s results are published; their bands can no longer change.") % {"year": year}
        )
    checked: list[tuple[str, Decimal]] = []
    for band in bands:
        label = str(band.get("label", "")).strip()
        minimum = parse_number(band.get("min_index", ""), field="min_index")
        if not label:
            raise ValidationError({"label": _("Every band needs a name.")})
        if not 0 <= minimum <= 100:
            raise ValidationError({"min_index": _("A band starts at an index between 0 and 100.")})
        checked.append((label, minimum))
    if len({label for label, _minimum in checked}) != len(checked):
        raise ValidationError({"label": _("Two bands have the same name.")})
    before = [
        {"label": band.label, "min_index": str(band.min_index)} for band in Band.objects.filter(year=year)
    ]
    Band.objects.filter(year=year).delete()
    created = [
        Band.objects.create(year=year, label=label, min_index=minimum, legal_basis=legal_basis)
        for label, minimum in checked
    ]
    if created:
        audit.record(
            actor=actor,
            action="par_bands.set",
            obj=created[0],
            before={"year": year, "bands": before},
            after={"year": year, "bands": [{"label": label, "min_index": str(m)} for label, m in checked]},
        )
    return created


def load_default_bands(*, actor: Any, year: int) -> list[Band]:
    data = json.loads((DATA / "bands.json").read_text(encoding="utf-8"))
    return set_bands(actor=actor, year=year, bands=data["bands"], legal_basis=data["legal_basis"])
