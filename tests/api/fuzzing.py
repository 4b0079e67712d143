"""What the API fuzz test (test_fuzz.py) needs: the live schema, a world with data in every unit, and the
check that no answer names a unit the caller may not see.

The schema is read from the application itself over WSGI (schemathesis' loader), so an endpoint added
by any app is fuzzed as soon as it is routed. The requests then run in the test's own thread and
database transaction: the same on SQLite and PostgreSQL, and rolled back after each test.
"""

import datetime
from typing import Any

import schemathesis
from django.core.wsgi import get_wsgi_application
from rest_framework.authtoken.models import Token

from cchc.accounts import api_tokens
from cchc.accounts import services as account_services
from cchc.accounts.models import ApiToken, Role, RoleAssignment
from cchc.onestop import services as onestop_services
from cchc.plans.services import plans as plan_services
from cchc.plans.services import tasks as task_services
from cchc.units.models import Unit, UnitCode

SCHEMA_PATH = "/api/schema/"


def load_schema():
    """The OpenAPI schema as the running application serves it, bound to the WSGI app for the calls."""
    # Django's WSGI handler, not cchc.wsgi: that one also freezes the garbage collector for production.
    return schemathesis.openapi.from_wsgi(SCHEMA_PATH, get_wsgi_application())


@schemathesis.serializer("application/zip")
def zip_body(ctx, value):
    """Exchange packages are ZIP bytes: schemathesis's WSGI transport has no binary serializer, so the
    generated body (bytes, or text for some strategies) goes on the wire as it is."""
    return {"data": value if isinstance(value, bytes) else str(value).encode()}


# Keys whose value is the unit a row belongs to (or a list of them): the caller must be able to see it.
OWNER_KEYS = {"unit", "unit_id", "units", "issuing_unit", "lead_unit"}
# Keys holding a unit's code.
CODE_KEYS = {"unit_code"}


class Scope:
    """The units one user may see: their VIEW scope, and (for plans, which are read from below) the
    units above it. Built from the database once per test, like the API would."""

    def __init__(self, user):
        visible = Unit.objects.for_user(user)
        self.ids = set(visible.values_list("pk", flat=True))
        ancestors: set[int] = set()
        for unit in visible:
            ancestors.update(
                Unit.objects.filter(path__in=_ancestor_paths(unit.path)).values_list("pk", flat=True)
            )
        self.plan_ids = self.ids | ancestors
        codes = UnitCode.objects.values_list("code", "unit_id")
        self.code_units: dict[str, set[int]] = {}
        for code, unit_id in codes:
            self.code_units.setdefault(code, set()).add(unit_id)
        # A code is foreign when no unit that ever bore it is visible (codes were reused in 2025).
        self.foreign_codes = {code for code, owners in self.code_units.items() if not owners & self.ids}

    def foreign(self, body: Any) -> list[str]:
        """Where `body` names a unit outside this scope, as `path: value` lines (empty: none)."""
        found: list[str] = []
        self._walk(body, "$", found)
        return found

    def _walk(self, node: Any, where: str, found: list[str]) -> None:
        if isinstance(node, list):
            for index, item in enumerate(node):
                self._walk(item, f"{where}[{index}]", found)
            return
        if not isinstance(node, dict):
            return
        if {"id", "codes", "depth"} <= node.keys() and node["id"] not in self.ids:
            found.append(f"{where}: unit {node['id']}")  # a unit itself, as /units/ shows it
        for key, value in node.items():
            path = f"{where}.{key}"
            if key in OWNER_KEYS:
                allowed = self.plan_ids if key in {"issuing_unit", "lead_unit"} else self.ids
                for unit_id in _ids(value):
                    if unit_id not in allowed:
                        found.append(f"{path}: unit {unit_id}")
            if key in CODE_KEYS and isinstance(value, str) and value in self.foreign_codes:
                found.append(f"{path}: unit code {value}")
            self._walk(value, path, found)


def _ancestor_paths(path: str) -> list[str]:
    from cchc.units.models import PATH_STEP

    step = PATH_STEP + 1
    return [path[: i * step] for i in range(1, len(path) // step)]


def _ids(value: Any) -> list[int]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [value]
    if isinstance(value, dict) and isinstance(value.get("id"), int):
        return []  # a nested unit object: checked by its own shape above
    if isinstance(value, list):
        return [item for item in value if isinstance(item, int) and not isinstance(item, bool)]
    return []


def no_other_units_data(scope: Scope):
    """A schemathesis check: the answer names no unit outside `scope`."""

    def no_other_units_data(ctx, response, case):
        if "json" not in response.headers.get("content-type", [""])[0]:
            return None
        try:
            body = response.json()
        except ValueError:
            return None
        leaks = scope.foreign(body)
        if leaks:
            raise AssertionError(
                "The answer names units outside the caller's scope:\n" + "\n".join(leaks[:20])
            )
        return None

    return no_other_units_data


# The roles that sign in with a named key (`Bearer cchc_…`, accounts.api_tokens) instead of the older
# per-user token, so that both doors of the API are fuzzed. A role with one assignment: its key then
# acts on the same units as the user, which is the scope `Scope` checks answers against.
NAMED_KEY_ROLES = {"justice_focal"}

# The secret of each user's current named key (only its hash is stored), kept between requests.
_named_keys: dict[int, str] = {}


def token_header(user, named_key: bool = False) -> dict[str, str]:
    """The caller's token or named key, as the header to send; made again when a fuzzed sign-out
    (POST /api/v1/auth/logout/) revoked it, or the previous test's rollback removed it."""
    if named_key:
        return {"Authorization": f"Bearer {_working_named_key(user)}"}
    token, _created = Token.objects.get_or_create(user=user)
    return {"Authorization": f"Token {token.key}"}


def _working_named_key(user) -> str:
    key = _named_keys.get(user.pk)
    # Found by its hash and owner, not its id: ids are reused once a test's rows are rolled back.
    if (
        key
        and ApiToken.objects.filter(
            owner=user, key_hash=api_tokens.hash_key(key), revoked_at__isnull=True
        ).exists()
    ):
        return key
    assignment = RoleAssignment.objects.filter(user=user).order_by("pk").first()
    # Names are unique per owner, revoked keys included.
    name = f"Kiểm thử tự động {ApiToken.objects.filter(owner=user).count() + 1}"
    _token, key = api_tokens.create_token(actor=None, owner=user, name=name, role_assignment=assignment)
    _named_keys[user.pk] = key
    return key


PROCEDURE = {
    "code": "HT-01",
    "name": "Đăng ký khai sinh",
    "field": "Hộ tịch",
    "level": "cấp xã",
    "time_limit": "5",
    "time_unit": "working_day",
    "online": "full",
    "has_fee": "1",
}


def build_world(cast) -> None:
    """Data in every unit, so that a list or object of another unit would show up in an answer:
    a plan with a target and a task for Sở Tư pháp and for Xã Tây, a measurement and dossiers of
    both communes, and a person holding roles in two sibling units."""
    admin = cast["reform_admin"]
    for unit, title in (
        (cast["justice"], "Kế hoạch CCHC Sở Tư pháp"),
        (cast["west_commune"], "Kế hoạch CCHC Xã Tây"),
    ):
        plan = plan_services.create_plan(
            actor=admin, issuing_unit=unit, title=f"{title} năm 2026", year_from=2026
        )
        target = plan_services.add_target(
            actor=admin,
            plan=plan,
            code="CT1",
            text="Tối thiểu 98,5% hồ sơ đúng hạn",
            comparator=">=",
            value="98.5",
            unit="%",
        )
        task = task_services.add_task(
            actor=admin,
            plan=plan,
            text="Rà soát thủ tục hành chính",
            lead_unit=unit,
            deadline=datetime.date(2026, 6, 30),
        )
        task_services.report_progress(
            actor=admin, task=task, status=task.status, progress=40, narrative="Đã rà soát 12/30 thủ tục."
        )
        plan_services.record_measurement(
            actor=admin, target=target, unit=unit, period="2026", numerator=97, denominator=100
        )
    assert onestop_services.import_procedures([PROCEDURE], actor=None).applied
    records = [
        {
            "dossier_code": f"H{n}",
            "procedure_code": "HT-01",
            "unit_code": code,
            "received_at": "2026-01-05 09:00",
        }
        for n, code in enumerate(["99001", "99002", "99.STP"])
    ]
    assert onestop_services.import_dossiers(records, actor=None).applied
    two_units = account_services.create_user(
        actor=None, username="kiemnhiem", password="mat-khau-thu-1", full_name="Vũ Văn Kiêm Nhiệm"
    )
    for unit in (cast["west_commune"], cast["east_ward"]):
        account_services.grant_role(actor=None, user=two_units, unit=unit, role=Role.FOCAL_POINT)
