"""What becomes a notification: each domain app registers its rules here from its `notify_rules` module.

Two kinds of rule:

* `on_action("report.submit", rule)`: `rule(entry)` turns a committed audit row into events;
* `deadlines("plans.tasks", source)`: `source(today)` lists the deadline events of the day, called by
  the daily command (`cchc notifications daily`).

An `Event` names its recipients and a stable `key`; a person receives one notification per key.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from cchc.core.models import AuditEntry

# Kinds: the key stored on each notification, and the label the list shows (lazy translations).
KINDS: dict[str, Any] = {}
_ACTION_RULES: dict[str, list[Callable[[AuditEntry], Iterable["Event"]]]] = {}
_DEADLINE_SOURCES: dict[str, Callable[[datetime.date], Iterable["Event"]]] = {}


@dataclass(frozen=True)
class Event:
    """Something some people should be told: its key (the same event always has the same key), its kind,
    a title and text in the site's language, a link inside the site, and the unit it concerns (a unit
    or its id)."""

    key: str
    kind: str
    title: str
    recipients: tuple[Any, ...] = field(default=(), compare=False)
    body: str = ""
    link: str = ""
    unit: Any = None


def kind(name: str, label: Any) -> str:
    KINDS[name] = label
    return name


def kind_label(name: str) -> str:
    return str(KINDS.get(name, ""))


def on_action(action: str, rule: Callable[[AuditEntry], Iterable[Event]]) -> None:
    _ACTION_RULES.setdefault(action, []).append(rule)


def deadlines(name: str, source: Callable[[datetime.date], Iterable[Event]]) -> None:
    _DEADLINE_SOURCES[name] = source


def has_rule(action: str) -> bool:
    return action in _ACTION_RULES


def events_for_entry(entry: AuditEntry) -> list[Event]:
    return [event for rule in _ACTION_RULES.get(entry.action, []) for event in rule(entry)]


def deadline_sources() -> dict[str, Callable[[datetime.date], Iterable[Event]]]:
    return dict(_DEADLINE_SOURCES)
