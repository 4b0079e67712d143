"""The demonstration's people: made-up officials with roles in the province, one shared password."""

from typing import Any

from cchc.accounts import services as account_services
from cchc.accounts.models import User
from cchc.demo.datafiles import read
from cchc.units.models import Unit

DEMO_PASSWORD = "cchc-demo-2026"
PLANNER = "snv.quantri"  # the reform-office official who issues the plan and runs the campaigns


def demo_people() -> list[dict[str, Any]]:
    """Each person's username, full name, position and roles, as in `data/people.yaml`.

    A role's unit is an agency code suffix ("STP"), "province", or "commune:<name>" for a commune
    of the province.
    """
    return read("people")["people"]


def planner() -> User:
    return User.objects.get(username=PLANNER)


def load_demo_people(*, province: Unit, agencies: dict[str, Unit]) -> None:
    """The demo's accounts with their roles, and a technical superuser for the admin site."""
    for person in demo_people():
        user = account_services.create_user(
            actor=None,
            username=person["username"],
            password=DEMO_PASSWORD,
            full_name=person["full_name"],
            position=person["position"],
        )
        for role in person["roles"]:
            account_services.grant_role(
                actor=None, user=user, unit=_resolve(role["unit"], province, agencies), role=role["role"]
            )
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser(
            "admin", "admin@localhost", DEMO_PASSWORD, full_name="Quản trị kỹ thuật"
        )


def _resolve(reference: str, province: Unit, agencies: dict[str, Unit]) -> Unit:
    if reference == "province":
        return province
    if reference.startswith("commune:"):
        return Unit.objects.subtree(province).get(name=reference.split(":", 1)[1], valid_to__isnull=True)
    return agencies[reference]
