"""`cchc exchange keygen | export | push | import | register-province | revisions` (docs/exchange.md)."""

import json
import secrets
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from cchc.core import audit
from cchc.core.commands import SubcommandCommand, read_file
from cchc.exchange import api, export, importing, package
from cchc.exchange.models import ExchangePackage, ProvinceRegistration
from cchc.units.models import Unit, UnitType


class Command(SubcommandCommand):
    help = "Signed data exchange packages between a province instance and the national instance."

    def add_subcommands(self, subparsers: Any) -> None:
        keygen = subparsers.add_parser(
            "keygen", help="Create the province's signing key; print its public key."
        )
        keygen.add_argument(
            "--key-file", help="Where to write the private key (default CCHC_EXCHANGE_KEY_FILE)."
        )
        keygen.add_argument("--force", action="store_true", help="Replace an existing key.")
        exported = subparsers.add_parser("export", help="Write the signed package of a month to stdout.")
        exported.add_argument("--period", required=True, help="The month, YYYY-MM.")
        exported.add_argument("--province", help="The province's code (default CCHC_PROVINCE_CODE).")
        exported.add_argument("--key-file")
        push = subparsers.add_parser("push", help="Send a month's package to the national instance.")
        push.add_argument("url", help="The national endpoint, …/api/v1/exchange/packages/")
        push.add_argument("--period", required=True)
        push.add_argument("--token", required=True, help="The token the national instance gave the province.")
        push.add_argument("--province")
        push.add_argument("--key-file")
        push.add_argument("--file", help="Send this package file instead of exporting one.")
        imported = subparsers.add_parser("import", help="National instance: check and import a package file.")
        imported.add_argument("file")
        register = subparsers.add_parser(
            "register-province", help="National instance: allow a province to send."
        )
        register.add_argument("--code", required=True)
        register.add_argument("--public-key", required=True)
        revisions = subparsers.add_parser("revisions", help="National instance: the packages received.")
        revisions.add_argument("--province")
        revisions.add_argument("--period")

    def _key(self, key_file: str | None):
        try:
            return export.load_key(Path(key_file) if key_file else None)
        except export.ExportError as error:
            raise CommandError(str(error)) from error

    def handle_keygen(self, *, key_file: str | None, force: bool, **options: Any) -> None:
        path = Path(key_file) if key_file else export.key_path()
        try:
            key = export.keygen(path, overwrite=force)
        except export.ExportError as error:
            raise CommandError(str(error)) from error
        self.stderr.write(f"Khóa ký đã ghi vào {path} (chỉ chủ sở hữu đọc được). Khóa công khai:")
        self.stdout.write(package.public_key_text(key))

    def _build(self, period: str, province: str | None, key_file: str | None) -> bytes:
        try:
            return export.export(period, province_code=province, key=self._key(key_file))
        except (export.ExportError, ValueError) as error:
            raise CommandError(str(error)) from error

    def handle_export(
        self, *, period: str, province: str | None, key_file: str | None, **options: Any
    ) -> None:
        data = self._build(period, province, key_file)
        stream = getattr(self.stdout, "_out", sys.stdout)
        (stream.buffer if hasattr(stream, "buffer") else stream).write(data)
        stream.flush()

    def handle_push(
        self,
        *,
        url: str,
        period: str,
        token: str,
        province: str | None,
        key_file: str | None,
        file: str | None,
        **options: Any,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise CommandError("Địa chỉ phải bắt đầu bằng http:// hoặc https://.")
        data = read_file(file) if file else self._build(period, province, key_file)
        request = urllib.request.Request(
            url,
            data=data,
            method="POST",
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/zip",
                "Accept-Language": "vi",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                answer, code = response.read(), response.status
        except urllib.error.HTTPError as error:
            answer, code = error.read(), error.code
        except urllib.error.URLError as error:
            raise CommandError(f"Không gửi được tới {url}: {error.reason}") from error
        try:
            outcome = json.loads(answer)
            message = outcome.get("message") or outcome["detail"]
        except (ValueError, KeyError, TypeError, AttributeError):
            raise CommandError(f"Cấp trung ương trả lời HTTP {code} không đọc được.") from None
        if code >= 300:
            raise CommandError(f"Bị từ chối (HTTP {code}): {message}")
        self.stdout.write(message)

    def handle_import(self, *, file: str, **options: Any) -> None:
        outcome = importing.receive(read_file(file), registration=None, actor=None, via="command")
        if outcome.status == "refused":
            raise CommandError(f"Bị từ chối, không ghi gì: {outcome.message}")
        self.stdout.write(outcome.message)

    def handle_register_province(self, *, code: str, public_key: str, **options: Any) -> None:
        try:
            package.load_public_key(public_key)
        except ValueError as error:
            raise CommandError(f"--public-key: {error}") from error
        unit = (
            Unit.objects.filter(type=UnitType.PROVINCE, parent__isnull=True, code=code)
            .active_on(timezone.localdate())
            .first()
        )
        if unit is None:
            raise CommandError(
                f"Không có tỉnh hiện hành mang mã {code}: nạp bằng `cchc units load-official`."
            )
        # Hex, not URL-safe base64: a token starting with '-' would read as an option after --token.
        token = secrets.token_hex(32)
        with transaction.atomic():
            registration, _created = ProvinceRegistration.objects.update_or_create(
                code=code,
                defaults={
                    "unit": unit,
                    "public_key": public_key.strip(),
                    "token_hash": api.token_hash(token),
                },
            )
            audit.record(
                actor=None,
                action="exchange.register",
                obj=registration,
                unit=unit,
                after={"code": code, "public_key": public_key.strip()},
            )
        self.stderr.write(f"{unit.name} ({code}) đã đăng ký. Mã truy cập (chỉ hiện một lần):")
        self.stdout.write(token)

    def handle_revisions(self, *, province: str | None, period: str | None, **options: Any) -> None:
        packages = ExchangePackage.objects.all()
        if province:
            packages = packages.filter(province_code=province)
        if period:
            packages = packages.filter(period=period)
        for entry in packages:
            state = f"lần {entry.revision}" if entry.revision else f"từ chối: {entry.message}"
            received = entry.received_at.isoformat(timespec="seconds")
            self.stdout.write(
                "\t".join(
                    [entry.province_code, entry.period or "-", received, state, entry.content_hash[:12]]
                )
            )
