"""Reading units: the tree on a date, and who inherits an old unit."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count

from cchc.units.models import Unit, UnitLineage, UnitType


def units_as_of(code: str, on: datetime.date):
    """The units of the province (or any unit) that carried `code` on `on`, as they stood that day."""
    root = Unit.objects.by_code(code, on).active_on(on).order_by("depth").first()
    if root is None:
        return Unit.objects.none()
    return Unit.objects.subtree(root).active_on(on)


def counts_by_type(units) -> dict[str, int]:
    """How many of `units` (a queryset) there are of each type, in one query."""
    return dict(units.values_list("type").annotate(count=Count("id")).order_by())


def inheritors(unit: Unit, on: datetime.date | None = None) -> list[tuple[Unit, Decimal]]:
    """The units active on `on` (default today) that continue `unit`, each with the share it inherits.

    Follows lineage edges forward through intermediate units, multiplying the shares, so a
    commune merged in 2020 and again in 2025 still lands on its 2026 successor. A unit still
    active on `on` inherits itself with share 1.
    """
    on = on or datetime.date.today()
    if unit.is_active_on(on):
        return [(unit, Decimal(1))]
    edges: dict[int, list[UnitLineage]] = defaultdict(list)
    frontier = {unit.pk}
    seen: set[int] = set()
    # Load the reachable part of the lineage graph level by level: one query per generation.
    while frontier:
        seen |= frontier
        level = list(
            UnitLineage.objects.filter(predecessor_id__in=frontier, effective_date__lte=on).select_related(
                "successor"
            )
        )
        for link in level:
            edges[link.predecessor_id].append(link)
        frontier = {link.successor_id for link in level} - seen
    shares: dict[int, Decimal] = defaultdict(Decimal)
    units: dict[int, Unit] = {}

    def walk(node_id: int, share: Decimal, path: frozenset[int]) -> None:
        for link in edges.get(node_id, []):
            successor = link.successor
            if successor.pk in path:
                continue  # a cycle in hand-entered lineage must not loop forever
            inherited = share * link.weight
            if successor.is_active_on(on):
                shares[successor.pk] += inherited
                units[successor.pk] = successor
            else:
                walk(successor.pk, inherited, path | {successor.pk})

    walk(unit.pk, Decimal(1), frozenset({unit.pk}))
    return sorted(
        ((units[pk], share) for pk, share in shares.items()), key=lambda item: (-item[1], item[0].name)
    )


def predecessors(unit: Unit) -> list[UnitLineage]:
    return list(
        unit.predecessor_links.select_related("predecessor", "legal_basis").order_by("predecessor__name")
    )


def organising_province(code: str | None = None) -> Unit:
    """The unit with `code`, or, without one, the only top-level province in use (commands default to it).

    Raises LookupError with a message when there is no such unit or the choice is ambiguous.
    """
    if code:
        unit = Unit.objects.by_code(code).first()
        if unit is None:
            raise LookupError(f"No unit has the code {code!r}.")
        return unit
    provinces = list(Unit.objects.filter(parent__isnull=True, type=UnitType.PROVINCE, valid_to__isnull=True))
    if len(provinces) != 1:
        raise LookupError("Name the organising province with --organiser CODE.")
    return provinces[0]
