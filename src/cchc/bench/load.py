"""`cchc bench load`: add generated dossiers to a province that already exists (the demo's), for the
load test (docs/performance.md, "Load").

The bench's generator (`cchc.bench.dossiers`) writes the file, with the province's own procedures and
its own agencies, their divisions and its communes as they stand today, over the days on which all of
those units exist (at most the last three years, up to yesterday). The file goes through the one-stop
import, as an upload would, and the rollups the dashboards read are rebuilt at the end. Dossier codes
begin with LOAD, so a second run with the same seed updates the same dossiers instead of adding more.
"""

import datetime
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import CommandError
from django.utils import timezone

from cchc.bench.dossiers import Source, generate
from cchc.bench.province import CODE, Catalogue
from cchc.onestop import services
from cchc.onestop.models import Procedure
from cchc.units.models import Unit, UnitType
from cchc.workdays.calendar import get_calendar

PREFIX = "LOAD"
YEARS_BACK = 3


def the_province(code: str | None) -> Unit:
    """The province with `code`, else the only current province that is not the bench's."""
    today = timezone.localdate()
    provinces = Unit.objects.filter(type=UnitType.PROVINCE).active_on(today).exclude(code=CODE)
    if code:
        provinces = provinces.filter(code=code)
    found = list(provinces[:2])
    if len(found) != 1:
        raise CommandError(
            "Name the province with --province CODE." if found else "No province to load dossiers into."
        )
    return found[0]


def province_catalogue() -> Catalogue:
    """The procedures in force with a time limit (same-day ones left out: the generator spreads
    receipts over the whole day); provincial ones are those of level "cấp tỉnh"."""
    rows = list(
        Procedure.objects.filter(time_limit__gt=0, valid_to__isnull=True)
        .order_by("code")
        .values_list("code", "time_limit", "time_unit", "online", "level")
    )
    provincial = np.array(["tỉnh" in (level or "").lower() for *_rest, level in rows], dtype=bool)
    if not rows or provincial.all() or not provincial.any():
        raise CommandError("The catalogue needs procedures of the province and of the communes.")
    return Catalogue(
        codes=[row[0] for row in rows],
        time_limit=np.array([float(row[1]) for row in rows]),
        time_unit=np.array([row[2] for row in rows], dtype=object),
        online=np.array([row[3] for row in rows], dtype=object),
        provincial=provincial,
    )


def province_source(province: Unit, today: datetime.date) -> Source:
    units = list(
        Unit.objects.subtree(province)
        .active_on(today)
        .filter(type__in=[UnitType.AGENCY, UnitType.SUBUNIT, UnitType.COMMUNE])
        .exclude(code="")
        .order_by("path")
    )
    agencies = [unit for unit in units if unit.type != UnitType.COMMUNE]
    communes = [unit for unit in units if unit.type == UnitType.COMMUNE]
    if not agencies or not communes:
        raise CommandError(f"{province.name} needs agencies and communes with codes.")
    last = today - datetime.timedelta(days=1)
    first = max([last.replace(year=last.year - YEARS_BACK)] + [u.valid_from for u in units if u.valid_from])
    return Source(
        catalogue=province_catalogue(),
        agency_codes=[unit.code for unit in agencies],
        commune_codes=[unit.code for unit in communes],
        first_day=first,
        last_day=last,
        prefix=PREFIX,
    )


def load_dossiers(
    *, rows: int, seed: int, province_code: str | None, log: Callable[[str], None]
) -> dict[str, Any]:
    province = the_province(province_code)
    source = province_source(province, timezone.localdate())
    log(
        f"{rows:,} dossiers for {province.name}: {len(source.agency_codes)} agencies and divisions, "
        f"{len(source.commune_codes)} communes, {len(source.catalogue.codes)} procedures, "
        f"received {source.first_day:%d/%m/%Y}–{source.last_day:%d/%m/%Y}"
    )
    calendar = get_calendar()
    with tempfile.TemporaryDirectory(prefix="cchc-load-") as folder:
        path = Path(folder) / "dossiers.csv"
        generate(path, rows, seed, calendar, services.deadline_settings(), log, source)
        log("import …")
        result = services.import_dossiers(path, actor=None)
    if not result.applied:
        raise CommandError(f"The generated dossiers did not import: {result.errors[:5]}")
    log("rollups …")
    rollups = services.rebuild_rollups(actor=None)
    return {
        "province": province.code,
        "rows": rows,
        "seed": seed,
        "import": result.as_dict(),
        "rollups": rollups,
    }
