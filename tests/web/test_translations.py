"""Every interface text has its Vietnamese translation, so no English slips through to officials."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "cchc"
CATALOGUE = PACKAGE / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def message_ids(path):
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return catalog, {
        message.id if isinstance(message.id, str) else message.id[0] for message in catalog if message.id
    }


def test_the_vietnamese_catalogue_has_no_gaps():
    catalog, _ids = message_ids(CATALOGUE)
    untranslated = [
        m.id
        for m in catalog
        if m.id and (not m.string or (not isinstance(m.string, str) and not all(m.string)))
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_every_text_in_the_code_is_in_the_catalogue(tmp_path):
    """Extracts the texts again (as `makemessages` would) and compares with the committed catalogue."""
    copy = tmp_path / "cchc"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "vendor", "*.mo"))
    shutil.rmtree(copy / "locale")
    (copy / "locale").mkdir()  # extracted from scratch, not merged into the copied catalogue
    # Settings that point the catalogue at the copy, so the committed one is never rewritten.
    (tmp_path / "extract_settings.py").write_text(
        f"from cchc.settings import *  # noqa: F403\nLOCALE_PATHS = [{str(copy / 'locale')!r}]\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "extract_settings", "PYTHONPATH": str(tmp_path)}
    before = CATALOGUE.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "cchc", "makemessages", "-l", "vi", "--no-obsolete", "--no-location"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert CATALOGUE.read_bytes() == before
    assert result.returncode == 0, result.stderr
    _catalog, extracted = message_ids(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po")
    _catalog, committed = message_ids(CATALOGUE)
    assert len(extracted) > 200
    assert sorted(extracted - committed) == [], "run makemessages and translate the new texts"
