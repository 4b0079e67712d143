"""Compiles the interface translations (.po to .mo) with Babel, so no GNU gettext is needed."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

root = Path(__file__).resolve().parent.parent / "src" / "cchc" / "locale"
for po_path in root.glob("*/LC_MESSAGES/*.po"):
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        continue
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    with mo_path.open("wb") as handle:
        write_mo(handle, catalog)
