"""The named cast every test can use: a small province, its agencies and communes, and its people.

- `province`: Tỉnh Thử Nghiệm (code 99) with Sở Nội vụ, Sở Tư pháp (and its Phòng Hành chính tư pháp),
  Phường Đông and Xã Tây.
- `reform_admin`: administrator and reform office of the province, working at Sở Nội vụ.
- `justice_focal`: focal point of Sở Tư pháp.
- `commune_officer`: focal point of Xã Tây.
- `leader`: viewer of the whole province (the provincial leadership).

Shared tools, defined here once: `english` (messages in English, so assertions do not depend on the
Vietnamese catalogue), `api` (a REST client, not signed in), `reform_client` (the test client signed
in as the reform office), `jobs_run_in_process` and `public_forms` (settings for background jobs and
citizens' forms under test) and `uploaded(name, content)` (a file as a form posts it).
"""

import datetime

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from rest_framework.test import APIClient

from cchc.accounts import services as account_services
from cchc.accounts.models import Role
from cchc.units.models import UnitType
from cchc.units.services import units as unit_services

START = datetime.date(2025, 7, 1)


@pytest.fixture
def province(db):
    return unit_services.create_unit(
        actor=None, name="Tỉnh Thử Nghiệm", type=UnitType.PROVINCE, code="99", kind="Tỉnh", valid_from=START
    )


def _unit(parent, name, type_, code, kind):
    return unit_services.create_unit(
        actor=None, name=name, type=type_, code=code, parent=parent, kind=kind, valid_from=START
    )


@pytest.fixture
def home_affairs(province):
    return _unit(province, "Sở Nội vụ", UnitType.AGENCY, "99.SNV", "Sở")


@pytest.fixture
def justice(province):
    return _unit(province, "Sở Tư pháp", UnitType.AGENCY, "99.STP", "Sở")


@pytest.fixture
def justice_division(justice):
    return _unit(justice, "Phòng Hành chính tư pháp", UnitType.SUBUNIT, "99.STP.HCTP", "Phòng")


@pytest.fixture
def east_ward(province):
    return _unit(province, "Phường Đông", UnitType.COMMUNE, "99001", "Phường")


@pytest.fixture
def west_commune(province):
    return _unit(province, "Xã Tây", UnitType.COMMUNE, "99002", "Xã")


def _person(username, full_name, *roles):
    user = account_services.create_user(
        actor=None, username=username, password="mat-khau-thu-1", full_name=full_name
    )
    for unit, role in roles:
        account_services.grant_role(actor=None, user=user, unit=unit, role=role)
    return user


@pytest.fixture
def reform_admin(province, home_affairs):
    return _person(
        "snv.admin", "Nguyễn Thị Quản Trị", (province, Role.ADMINISTRATOR), (province, Role.REFORM_OFFICE)
    )


@pytest.fixture
def justice_focal(justice):
    return _person("stp.daumoi", "Trần Văn Đầu Mối", (justice, Role.FOCAL_POINT))


@pytest.fixture
def commune_officer(west_commune):
    return _person("xatay.canbo", "Lê Thị Cán Bộ", (west_commune, Role.FOCAL_POINT))


@pytest.fixture
def leader(province):
    return _person("lanhdao", "Phạm Văn Lãnh Đạo", (province, Role.VIEWER))


@pytest.fixture
def cast(
    province,
    home_affairs,
    justice,
    justice_division,
    east_ward,
    west_commune,
    reform_admin,
    justice_focal,
    commune_officer,
    leader,
):
    """Everything above at once, for tests that walk the whole site."""
    return {
        "province": province,
        "home_affairs": home_affairs,
        "justice": justice,
        "justice_division": justice_division,
        "east_ward": east_ward,
        "west_commune": west_commune,
        "reform_admin": reform_admin,
        "justice_focal": justice_focal,
        "commune_officer": commune_officer,
        "leader": leader,
    }


@pytest.fixture
def draft_plan(cast):
    """The province's 2026 plan, drafted by its reform office and not yet issued."""
    from cchc.plans.services import plans as plan_services

    return plan_services.create_plan(
        actor=cast["reform_admin"], issuing_unit=cast["province"], title="Kế hoạch CCHC 2026", year_from=2026
    )


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def reform_client(client, reform_admin):
    """The test client signed in as the province's reform office."""
    client.force_login(reform_admin)
    return client


@pytest.fixture
def as_user(client):
    """as_user(user): the test client signed in as `user`, with the interface in English so that
    messages read as in the code."""

    def sign_in(user):
        client.force_login(user)
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return sign_in


@pytest.fixture
def jobs_run_in_process(settings):
    """Queued tasks run at once, in the test, with a cache of the test's own.

    django-tasks keeps its backends in `task_backends` and drops them when TASKS changes (a
    setting_changed receiver), so the override takes effect for `task.enqueue`.
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jobs"}
    }
    yield
    cache.clear()


@pytest.fixture
def committed(jobs_run_in_process, django_capture_on_commit_callbacks):
    """committed(): a context at whose end the service calls' on-commit callbacks run, as after a real
    commit; the tasks they queue (notifications, webhooks) then run at once (the immediate backend)."""

    def context():
        return django_capture_on_commit_callbacks(execute=True)

    return context


@pytest.fixture
def public_forms(settings):
    """Citizens' forms take a submission at once (their counters and spent stamps are rows of the test's
    database, fresh for each test), with a fresh cache of the test's own."""
    settings.CCHC_PUBLIC_MIN_SECONDS = 0
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "public-forms"}
    }
    cache.clear()
    yield
    cache.clear()


def uploaded(name: str, content: bytes | str, content_type: str | None = None) -> SimpleUploadedFile:
    """A file as a browser posts it; text is encoded as UTF-8."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs a fifth of a second per user; tests need no protection against cracking."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def pending_counted_per_request(settings):
    """The counts of pending dossiers are not shared between requests (onestop/queries/live.py), so
    that each test's figures and query counts are its own; tests/onestop/test_dashboard_queries.py
    turns the sharing on."""
    settings.CCHC_ONESTOP_LIVE_SECONDS = 0


@pytest.fixture(autouse=True)
def media_in_a_temporary_folder(settings, tmp_path):
    """Uploaded files land in the test's own folder, never in the developer's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
