"""Reading the demo's texts from the YAML files in `data/`."""

import functools
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


@functools.cache
def read(name: str) -> Any:
    """The parsed content of `data/<name>.yaml`; cached, so callers must not change what they get."""
    with (DATA_DIR / f"{name}.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)
