"""The exchange package, schema version 1: a ZIP of a signed manifest and one JSON Lines file per kind.

Members: `manifest.json` (canonical JSON: sorted keys, no spaces), `manifest.sig` (the Ed25519
signature of the manifest's exact bytes, 64 raw bytes) and `data/<kind>.jsonl`. The manifest lists
every data file with its row count and SHA-256, so one signature covers the whole package. Members are
written in a fixed order with a fixed timestamp: the same data gives the same bytes except `created_at`.
The columns of each kind are in docs/exchange.md; `read` checks them all before anything is written.
"""

import base64
import collections
import datetime
import hashlib
import io
import json
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.utils.translation import gettext as _

from cchc.core.untrusted import UntrustedFile, check_size, check_zip
from cchc.onestop.models import ROLLUP_COUNTS

SCHEMA_VERSION = 1
MANIFEST, SIGNATURE = "manifest.json", "manifest.sig"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
DECIMAL = re.compile(r"^-?\d{1,18}(\.\d{1,6})?$")

# Each kind's columns and their types: "text" (1 to 255 characters), "text?" (0 to 255), "long" (a
# text up to 5,000 characters), "count" (an integer ≥ 0), "year" (2000 to 2100), "decimal" (a string),
# "decimal?" (a string or null), "state" and "comparator" (one of their values below).
KINDS: dict[str, dict[str, str]] = {
    "onestop_field_month": {
        "unit_code": "text",
        "field": "text",
        **dict.fromkeys(ROLLUP_COUNTS, "count"),
    },
    "metrics": {"metric": "text", "unit_code": "text", "numerator": "decimal", "denominator": "decimal?"},
    "plan_targets": {
        "unit_code": "text",
        "plan_number": "text?",
        "plan_title": "long",
        "position": "count",
        "target_code": "text?",
        "target_text": "long",
        "measure_unit": "text",
        "comparator": "comparator",
        "goal": "decimal",
        "value": "decimal?",
        "state": "state",
    },
    "parindex_results": {
        "year": "year",
        "unit_code": "text",
        "unit_type": "text",
        "index": "decimal",
        "rank": "count",
        "band": "text?",
    },
}
SORT_KEYS = {
    "onestop_field_month": ("unit_code", "field"),
    "metrics": ("metric", "unit_code"),
    "plan_targets": ("plan_number", "plan_title", "position"),
    "parindex_results": ("year", "unit_code"),
}
COMPARATORS = (">=", ">", "=", "<=", "<")
STATES = ("met", "at_risk", "missed", "no_data")


class ExchangeRefused(ValueError):
    """The package is refused: `reason` is a stable snake_case key, the message says why in words."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def member_name(kind: str) -> str:
    return f"data/{kind}.jsonl"


def content_hash(manifest: dict[str, Any]) -> str:
    """What makes two packages "the same": the manifest without when and by which release it was built
    (the manifest holds every data file's hash, so the data is in it)."""
    kept = {key: value for key, value in manifest.items() if key not in ("created_at", "software_version")}
    return hashlib.sha256(canonical(kept)).hexdigest()


def public_key_text(key: Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives import serialization

    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def load_public_key(text: str) -> Ed25519PublicKey:
    """A public key as `keygen` prints it (base64 of the 32 raw bytes); ValueError otherwise."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as error:
        raise ValueError("not an Ed25519 public key (base64 of 32 bytes)") from error


def build(head: dict[str, Any], files: dict[str, list[dict[str, Any]]], key: Ed25519PrivateKey) -> bytes:
    """The package bytes: `head` (province, period, …) completed with the schema and the file list."""
    members: dict[str, bytes] = {}
    listing = {}
    for kind in sorted(files):
        rows = sorted(files[kind], key=lambda row: [_sort_value(row.get(k)) for k in SORT_KEYS.get(kind, ())])
        body = b"".join(canonical(row) + b"\n" for row in rows)
        members[member_name(kind)] = body
        listing[member_name(kind)] = {"rows": len(rows), "sha256": hashlib.sha256(body).hexdigest()}
    manifest = {"schema_version": SCHEMA_VERSION, **head, "files": listing}
    manifest_bytes = canonical(manifest)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in [
            (MANIFEST, manifest_bytes),
            (SIGNATURE, key.sign(manifest_bytes)),
            *members.items(),
        ]:
            archive.writestr(zipfile.ZipInfo(name, ZIP_TIME), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


@dataclass
class Package:
    """A package whose signature, schema, hashes and row shapes have been checked."""

    manifest: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]]

    @property
    def content_hash(self) -> str:
        return content_hash(self.manifest)


def max_bytes() -> int:
    return int(getattr(settings, "CCHC_EXCHANGE_MAX_BYTES", 50 * 2**20))


def open_manifest(data: bytes) -> tuple[dict[str, Any], bytes, bytes, zipfile.ZipFile]:
    """The manifest (parsed and raw), the signature and the open archive; sizes checked before inflating."""
    try:
        check_size(len(data), max_bytes())
        check_zip(data, kind="ZIP", max_inflated=4 * max_bytes())
    except UntrustedFile as error:
        raise ExchangeRefused("malformed", str(error)) from error
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    if MANIFEST not in names:
        raise ExchangeRefused("malformed", _("The package has no manifest.json."))
    if SIGNATURE not in names:
        raise ExchangeRefused("unsigned", _("The package is not signed (manifest.sig is missing)."))
    raw = read_member(archive, MANIFEST)
    try:
        manifest = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ExchangeRefused("malformed", _("manifest.json is not valid JSON.")) from error
    if not isinstance(manifest, dict):
        raise ExchangeRefused("malformed", _("manifest.json is not a JSON object."))
    return manifest, raw, read_member(archive, SIGNATURE), archive


def read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes. zipfile inflates no more than the size the directory declares (checked
    against the limits already) and refuses a member whose CRC or header does not match it: a
    directory that lies about sizes is refused here, never inflated beyond them."""
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
        raise ExchangeRefused(
            "malformed",
            _("%(name)s cannot be read from the package: %(error)s") % {"name": name, "error": error},
        ) from error


def verify(raw_manifest: bytes, signature: bytes, key: Ed25519PublicKey) -> bool:
    try:
        key.verify(signature, raw_manifest)
    except InvalidSignature:
        return False
    return True


def check_head(manifest: dict[str, Any]) -> None:
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise ExchangeRefused(
            "schema",
            _("Schema version %(version)s is not supported; this instance reads version %(known)s.")
            % {"version": manifest.get("schema_version"), "known": SCHEMA_VERSION},
        )
    period = manifest.get("period")
    if not isinstance(period, str) or not PERIOD.match(period):
        raise ExchangeRefused("malformed", _("The manifest's period must be a month, YYYY-MM."))
    files = manifest.get("files")
    if not isinstance(files, dict) or any(name not in map(member_name, KINDS) for name in files):
        raise ExchangeRefused("malformed", _("The manifest lists files this schema does not know."))


def _sort_value(value: Any) -> tuple[int, str]:
    """Numbers in their order (position 10 after 9), texts in theirs."""
    return (value, "") if isinstance(value, int) else (0, str(value or ""))


def _value_ok(kind: str, value: Any) -> bool:
    if kind in ("text", "text?", "long"):
        lowest, highest = {"text": (1, 255), "text?": (0, 255), "long": (1, 5000)}[kind]
        return isinstance(value, str) and lowest <= len(value) <= highest
    if kind in ("count", "year"):
        lowest, highest = (0, 2**31 - 1) if kind == "count" else (2000, 2100)
        return isinstance(value, int) and not isinstance(value, bool) and lowest <= value <= highest
    if kind in ("comparator", "state"):
        return value in (COMPARATORS if kind == "comparator" else STATES)
    if kind == "decimal?" and value is None:
        return True
    # Plain fixed-point text that fits the national columns (18 digits, 6 decimals): no exponents.
    return isinstance(value, str) and DECIMAL.match(value) is not None


def read_rows(manifest: dict[str, Any], archive: zipfile.ZipFile) -> dict[str, list[dict[str, Any]]]:
    """Every data file of the manifest: present, of the right hash and row count, rows of the right shape."""
    names = archive.namelist()
    # Only what the signature covers: every member is the manifest, its signature or a listed file
    # (nothing unlisted rides along, e.g. "../x" for a later unpacker), each name once (a second
    # member of the same name could be read by another tool instead of the one whose hash we checked).
    unlisted = sorted(set(names) - {MANIFEST, SIGNATURE, *manifest["files"]})
    twice = sorted(name for name, count in collections.Counter(names).items() if count > 1)
    if unlisted or twice:
        raise ExchangeRefused(
            "malformed",
            _("The package holds files its manifest does not list, or a file twice: %(names)s.")
            % {"names": ", ".join((unlisted + twice)[:5])[:300]},
        )
    result = {}
    for kind in KINDS:
        name = member_name(kind)
        entry = manifest["files"].get(name)
        if entry is None:
            continue
        if name not in names:
            raise ExchangeRefused(
                "malformed", _("%(name)s is listed in the manifest but missing.") % {"name": name}
            )
        body = read_member(archive, name)
        if not isinstance(entry, dict) or hashlib.sha256(body).hexdigest() != entry.get("sha256"):
            raise ExchangeRefused(
                "hash_mismatch",
                _("%(name)s does not match the hash in the signed manifest: it was changed after signing.")
                % {"name": name},
            )
        rows, keys = [], set()
        columns = KINDS[kind]
        for number, line in enumerate(body.splitlines(), start=1):
            try:
                row = json.loads(line)
            except (UnicodeDecodeError, json.JSONDecodeError):
                row = None
            if not isinstance(row, dict) or set(row) != set(columns):
                raise ExchangeRefused(
                    "malformed",
                    _("%(name)s, line %(line)s: not a JSON object with the columns of schema version 1.")
                    % {"name": name, "line": number},
                )
            for column, type_ in columns.items():
                if not _value_ok(type_, row[column]):
                    raise ExchangeRefused(
                        "malformed",
                        _("%(name)s, line %(line)s: the value of %(column)s is not valid.")
                        % {"name": name, "line": number, "column": column},
                    )
            key = tuple(row[column] for column in SORT_KEYS[kind])
            if key in keys:
                raise ExchangeRefused(
                    "malformed",
                    _("%(name)s, line %(line)s: the same %(columns)s as an earlier line.")
                    % {"name": name, "line": number, "columns": ", ".join(SORT_KEYS[kind])},
                )
            keys.add(key)
            rows.append(row)
        if len(rows) != entry.get("rows"):
            raise ExchangeRefused(
                "row_count",
                _("%(name)s holds %(count)s rows; the manifest says %(expected)s.")
                % {"name": name, "count": len(rows), "expected": entry.get("rows")},
            )
        result[kind] = rows
    return result


def now_text() -> str:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()
