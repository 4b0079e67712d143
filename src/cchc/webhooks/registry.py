"""What becomes a webhook event: each domain app registers its rules here from its `webhook_events`
module, as `on_action("report.accept", rule)`; `rule(entry)` turns a committed audit row into events.

An event concerns one or more units (a PAR Index publication ranks many). A subscription receives it
when one of those units lies in its unit's subtree, and then only the parts about those units.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from cchc.core.models import AuditEntry

_ACTION_RULES: dict[str, list[Callable[[AuditEntry], Iterable["Event"]]]] = {}


@dataclass(frozen=True)
class Part:
    """The piece of an event about one unit: the unit's path (for the subtree test) and its data."""

    path: str
    data: dict[str, Any] | None = None


@dataclass(frozen=True)
class Event:
    """One thing to tell other systems: its type (an `EventType` value), the object every receiver gets,
    the link to its page (a path inside the site) and the units it concerns.

    With `parts_key`, the object gets under that key the data of the parts in the receiver's subtree
    (e.g. "results": the ranks of the receiver's units only); without, the parts only decide who receives.
    """

    type: str
    object: dict[str, Any]
    link: str
    parts: tuple[Part, ...] = field(default=())
    parts_key: str = ""

    def for_subtree(self, path: str) -> dict[str, Any] | None:
        """The object as a receiver of the subtree at `path` sees it, or None if nothing is for it."""
        mine = [part for part in self.parts if part.path.startswith(path)]
        if not mine:
            return None
        if not self.parts_key:
            return dict(self.object)
        return {**self.object, self.parts_key: [part.data for part in mine]}


def on_action(action: str, rule: Callable[[AuditEntry], Iterable[Event]]) -> None:
    _ACTION_RULES.setdefault(action, []).append(rule)


def has_rule(action: str) -> bool:
    return action in _ACTION_RULES


def events_for_entry(entry: AuditEntry) -> list[Event]:
    return [event for rule in _ACTION_RULES.get(entry.action, []) for event in rule(entry)]


def unit_data(unit: Any) -> dict[str, Any]:
    """How a unit appears in payloads: its id, code and name."""
    return {"id": unit.pk, "code": unit.code, "name": unit.name}
