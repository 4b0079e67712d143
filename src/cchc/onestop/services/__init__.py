"""Every change the one-stop module makes.

- `imports`: imports of procedures and dossiers (all or nothing), rollup rebuilds and checks;
- `jobs`: the same imports handed in through the web page and run in the background;
- `official`: imports of the QĐ 766 scores the national portal published.

The names callers use most are re-exported here (`services.import_dossiers(...)`).
"""

from cchc.onestop.services.imports import (
    ImportRefused,
    ImportResult,
    UnreadableFile,
    check_rollups,
    deadline_settings,
    guess_kind,
    import_dossiers,
    import_procedures,
    rebuild_rollups,
)

__all__ = [
    "ImportRefused",
    "ImportResult",
    "UnreadableFile",
    "check_rollups",
    "deadline_settings",
    "guess_kind",
    "import_dossiers",
    "import_procedures",
    "rebuild_rollups",
]
