"""Every current province's official units at once, for the national instance (`load-official --all`).

Each province is loaded in its own transaction: a failure in one leaves the provinces before it loaded
and is reported, and a second run picks up where the first stopped, since loading is idempotent.
"""

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from cchc.units.services import official


@dataclass
class NationalLoad:
    results: list[official.LoadResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def nothing_to_do(self) -> bool:
        return all(result.nothing_to_do for result in self.results)

    def totals(self) -> dict[str, Any]:
        created: Counter = Counter()
        for result in self.results:
            created.update(result.units_created)
        return {
            "provinces": len(self.results),
            "units_created": dict(sorted(created.items())),
            "units_created_total": sum(created.values()),
            "units_existing": sum(result.units_existing for result in self.results),
            "links_created": sum(result.links_created for result in self.results),
            "links_updated": sum(result.links_updated for result in self.results),
            "links_unchanged": sum(result.links_unchanged for result in self.results),
            "legal_documents_created": sum(result.legal_documents_created for result in self.results),
            "nothing_to_do": self.nothing_to_do,
            "seconds": round(self.seconds, 2),
        }

    def as_dict(self) -> dict[str, Any]:
        return {"provinces": [result.as_dict() for result in self.results], "total": self.totals()}


def load_all(*, actor: Any = None, progress: Any = None) -> NationalLoad:
    """Load the 34 provinces in code order; `progress(result)` is called after each one."""
    started = time.perf_counter()
    load = NationalLoad()
    for code, _name in official.province_choices():
        result = official.load_province(code, actor=actor)
        load.results.append(result)
        if progress is not None:
            progress(result)
    load.seconds = time.perf_counter() - started
    return load
