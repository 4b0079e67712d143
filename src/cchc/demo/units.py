"""The demonstration province's units: Khánh Hòa's official communes and illustrative agencies.

Agency codes are made up (a real province takes them from its document-exchange code list); every
page says the data is for demonstration (`core.settings_store.is_demo`).
"""

from typing import Any

from django.core.management import call_command

from cchc.demo.datafiles import read
from cchc.units.models import Unit, UnitType
from cchc.units.services import units as unit_services

DEMO_PROVINCE_CODE = "56"


def demo_province() -> Unit:
    return Unit.objects.get(type=UnitType.PROVINCE, code=DEMO_PROVINCE_CODE, valid_to__isnull=True)


def demo_agencies(province: Unit) -> dict[str, Unit]:
    """The province's demo agencies by code suffix ("STP" for 56.STP)."""
    return {
        unit.code.split(".", 1)[1]: unit
        for unit in Unit.objects.filter(
            parent=province, type=UnitType.AGENCY, code__startswith=f"{DEMO_PROVINCE_CODE}."
        )
    }


def load_demo_units(*, stdout: Any) -> tuple[Unit, dict[str, Unit]]:
    """The official units of the province, then its agencies and their sub-units from `data/units.yaml`."""
    call_command("units", "load-official", "--province", DEMO_PROVINCE_CODE, stdout=stdout)
    province = demo_province()
    agencies = {}
    for entry in read("units")["agencies"]:
        agency = unit_services.create_unit(
            actor=None,
            name=entry["name"],
            type=UnitType.AGENCY,
            code=f"{DEMO_PROVINCE_CODE}.{entry['code']}",
            parent=province,
            kind=entry["kind"],
            valid_from=province.valid_from,
        )
        agencies[entry["code"]] = agency
        for sub in entry["subunits"]:
            unit_services.create_unit(
                actor=None,
                name=sub["name"],
                type=UnitType.SUBUNIT,
                code=f"{agency.code}.{sub['code']}",
                parent=agency,
                kind=sub["kind"],
                valid_from=province.valid_from,
            )
    return province, agencies
