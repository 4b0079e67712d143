"""Which unit a code of a package names, read on the package's month (docs/exchange.md).

A code is resolved to the unit that carried it during the month, among the units of the sending
province and of the provinces it continues (the 2025 merges). Historic units stay themselves (a May
2025 package speaks of the old communes). A code of a unit that had ended before the month (a
province still sending an old code) is mapped through the lineage to its one successor active in the
month, keeping the code sent. A code of another province's unit, or no official code at all, refuses
the package.
"""

from typing import Any

from django.utils.translation import gettext as _

from cchc.core.periods import Period
from cchc.exchange.package import ExchangeRefused
from cchc.units.models import Unit, UnitCode, UnitLineage


def _within(row: Any, period: Period) -> bool:
    """Whether the row's [valid_from, valid_to] range meets the period (open ends are unbounded)."""
    return (row.valid_from is None or row.valid_from <= period.end) and (
        row.valid_to is None or row.valid_to >= period.start
    )


def scope_paths(province: Unit) -> list[str]:
    """The province's path and those of the provinces it continues, through the lineage, transitively."""
    paths, todo, seen = [province.path], [province.pk], {province.pk}
    while todo:
        links = UnitLineage.objects.filter(successor_id__in=todo, predecessor__parent__isnull=True)
        todo = [pk for pk, path in links.values_list("predecessor_id", "predecessor__path") if pk not in seen]
        seen.update(todo)
        paths.extend(Unit.objects.filter(pk__in=todo).values_list("path", flat=True))
    return paths


def _successor(unit: Unit, period: Period, paths: list[str]) -> Unit | None:
    """The one unit in scope that continues `unit` and was active in the period, or None."""
    frontier, seen = [unit.pk], {unit.pk}
    while frontier:
        nexts = list(UnitLineage.objects.filter(predecessor_id__in=frontier).select_related("successor"))
        active = {link.successor.pk: link.successor for link in nexts if _within(link.successor, period)}
        if active:
            chosen = [u for u in active.values() if any(u.path.startswith(p) for p in paths)]
            return chosen[0] if len(chosen) == 1 else None
        frontier = [link.successor_id for link in nexts if link.successor_id not in seen]
        seen.update(frontier)
    return None


def resolve_codes(codes: set[str], province: Unit, period: Period) -> dict[str, Unit]:
    """Each code's unit (see the module's docstring); ExchangeRefused at the first code that fails."""
    paths = scope_paths(province)
    in_scope = lambda unit: any(unit.path.startswith(path) for path in paths)  # noqa: E731
    carried = UnitCode.objects.filter(code__in=codes).select_related("unit")
    by_code: dict[str, list[tuple[Unit, bool]]] = {}
    for entry in carried:
        active = _within(entry, period) and _within(entry.unit, period)
        by_code.setdefault(entry.code, []).append((entry.unit, active))
    result = {}
    for code in sorted(codes):
        entries = by_code.get(code, [])
        current = {unit.pk: unit for unit, active in entries if active and in_scope(unit)}
        if len(current) == 1:
            result[code] = next(iter(current.values()))
            continue
        ended = [unit for unit, active in entries if not active and in_scope(unit)]
        successor = _successor(ended[0], period, paths) if len(ended) == 1 else None
        if successor is not None:
            result[code] = successor
            continue
        if any(not in_scope(unit) for unit, _active in entries):
            raise ExchangeRefused(
                "out_of_scope",
                _(
                    "Unit code %(code)s belongs to another province's unit: "
                    "a province sends only its own units."
                )
                % {"code": code},
            )
        raise ExchangeRefused(
            "unknown_unit",
            _("%(code)s is not an official code of a unit of province %(province)s in %(period)s.")
            % {"code": code, "province": province.code, "period": period.key},
        )
    return result
