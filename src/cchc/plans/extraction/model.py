"""What the extractor finds: a draft plan for a person to review, not a plan of record."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cchc.plans.extraction.numbers import json_number

COMPARATORS = (">=", ">", "=", "<=", "<")


@dataclass
class Area:
    """A reform area (lĩnh vực, nhóm nhiệm vụ) in the document's own words.

    `standard` names the standard area it was recognised as (see areas.STANDARD_AREAS).
    """

    title: str
    standard: str
    line: int = 0

    def as_json(self) -> dict[str, Any]:
        return {"title": self.title, "standard": self.standard}


@dataclass
class Target:
    """One numeric commitment: `comparator value unit`, e.g. >= 98.5 %."""

    text: str
    comparator: str
    value: Decimal
    unit: str
    scope: str | None = None
    area: str | None = None
    line: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "comparator": self.comparator,
            "value": json_number(self.value),
            "unit": self.unit,
            "scope": self.scope,
            "area": self.area,
        }


@dataclass
class Task:
    """One task with whatever the document says about who leads it, who helps, by when and what it yields."""

    text: str
    lead_unit: str | None = None
    coordinating_units: list[str] = field(default_factory=list)
    deadline: str | None = None
    product: str | None = None
    area: str | None = None
    line: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "lead_unit": self.lead_unit,
            "coordinating_units": self.coordinating_units,
            "deadline": self.deadline,
            "product": self.product,
            "area": self.area,
        }


@dataclass
class ExtractedPlan:
    areas: list[Area] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The documented shape {"areas": [{"title"}], "targets": [...], "tasks": [...]}, plus extra keys
        ("standard" for areas, "area" for targets and tasks)."""
        return {
            "areas": [area.as_json() for area in self.areas],
            "targets": [target.as_json() for target in self.targets],
            "tasks": [task.as_json() for task in self.tasks],
        }
