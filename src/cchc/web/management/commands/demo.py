"""`cchc demo`: fills an empty database with the demonstration province. Safe to run again."""

import datetime
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cchc.accounts import services as account_services
from cchc.accounts.models import User
from cchc.core.settings_store import DEMO_KEY, get_setting, set_setting
from cchc.units import services as unit_services
from cchc.units.models import Unit, UnitType
from cchc.web.demo_data import AGENCIES, DEMO_PASSWORD, DEMO_PROVINCE_CODE, PEOPLE

PLANS_KEY = "demo_plans"
ONESTOP_KEY = "demo_onestop"
PARINDEX_KEY = "demo_parindex"
SURVEYS_KEY = "demo_surveys"
PLANNER = "snv.quantri"  # the demo's reform-office official, who issues the plan


def _last_full_months(count: int) -> list[datetime.date]:
    first = timezone.localdate().replace(day=1)
    months = []
    for _ in range(count):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        months.append(first)
    return months


class Command(BaseCommand):
    help = "Load the demonstration province (real units of Khánh Hòa, made-up people and data)."

    def handle(self, *args, **options):
        if Unit.objects.exists() and not get_setting(DEMO_KEY, False):
            raise CommandError(
                "Cơ sở dữ liệu này đã có dữ liệu thật; không nạp dữ liệu minh họa vào đây. "
                "(This database holds real data; the demo is not loaded into it.)"
            )
        if get_setting(DEMO_KEY, False):
            self.stdout.write("Dữ liệu minh họa đã có sẵn; giữ nguyên. (Demo data already present; kept.)")
        else:
            self.load()
        # Later parts of the demo load once each, so an older demo database gains them on the next run.
        if not get_setting(PLANS_KEY, False):
            self.load_plans()
        if not get_setting(ONESTOP_KEY, False):
            self.load_onestop()
        # After plans and one-stop: the PAR Index's automatic criteria read their data.
        if not get_setting(PARINDEX_KEY, False):
            self.load_parindex()
        if not get_setting(SURVEYS_KEY, False):
            self.load_surveys()
        self.print_accounts()

    @transaction.atomic
    def load_onestop(self):
        from cchc.onestop.demo import load_demo_dossiers, load_demo_official_scores, run_example_import

        self.stdout.write("Nạp thủ tục hành chính và hồ sơ một năm minh họa…")
        province = Unit.objects.get(type=UnitType.PROVINCE, code=DEMO_PROVINCE_CODE, valid_to__isnull=True)
        result = load_demo_dossiers(province=province)
        self.stdout.write(f"  {result.created} hồ sơ")
        months = [f"{month:%Y-%m}" for month in _last_full_months(2)]
        load_demo_official_scores(province=province, periods=months)
        job = run_example_import(actor=User.objects.get(username=PLANNER))
        self.stdout.write(f"  tệp mẫu {job.original_name}: {job.error_count} dòng lỗi được giải thích")
        set_setting(actor=None, key=ONESTOP_KEY, value=True)

    @transaction.atomic
    def load_parindex(self):
        from cchc.parindex.demo import load_demo_parindex

        self.stdout.write("Nạp Chỉ số CCHC minh họa: năm 2025 đã công bố, năm 2026 đang thẩm định…")
        started = time.monotonic()
        province = Unit.objects.get(type=UnitType.PROVINCE, code=DEMO_PROVINCE_CODE, valid_to__isnull=True)
        loaded = load_demo_parindex(actor=User.objects.get(username=PLANNER), organiser=province)
        past, current = loaded.past, loaded.current
        self.stdout.write(
            f"  năm {past.year}: {past.results.count()} đơn vị có kết quả, QĐ {past.decision_number}; "
            f"năm {current.year}: {current.assessments.count()} đơn vị, đang thẩm định "
            f"({time.monotonic() - started:.0f} giây)"
        )
        set_setting(actor=None, key=PARINDEX_KEY, value=True)

    @transaction.atomic
    def load_surveys(self):
        from cchc.surveys.demo import load_demo_surveys
        from cchc.surveys.indices import campaign_total
        from cchc.surveys.models import Feedback

        self.stdout.write(
            "Nạp khảo sát SIPAS (năm 2025 đã kết thúc, năm 2026 đang thu phiếu) và phản ánh, kiến nghị…"
        )
        started = time.monotonic()
        province = Unit.objects.get(type=UnitType.PROVINCE, code=DEMO_PROVINCE_CODE, valid_to__isnull=True)
        loaded = load_demo_surveys(actor=User.objects.get(username=PLANNER), organiser=province)
        past, current = loaded.past, loaded.current
        total = campaign_total(past)
        late = Feedback.objects.filter(organiser=province).exclude(late_steps=[]).count()
        self.stdout.write(
            f"  {past.code}: {past.responses.count()} phiếu, {past.quotas.count()} đơn vị, chỉ số chung "
            f"{total.overall if total else '—'} %, đã kết thúc; {current.code}: {current.responses.count()} "
            f"phiếu đến nay; {loaded.feedback} phản ánh, kiến nghị ({late} có bước trễ hạn) "
            f"({time.monotonic() - started:.0f} giây)"
        )
        set_setting(actor=None, key=SURVEYS_KEY, value=True)

    @transaction.atomic
    def load_plans(self):
        from cchc.plans.demo import load_demo_plan

        self.stdout.write("Nạp kế hoạch CCHC năm 2026 minh họa…")
        province = Unit.objects.get(type=UnitType.PROVINCE, code=DEMO_PROVINCE_CODE, valid_to__isnull=True)
        agencies = {
            unit.code.split(".", 1)[1]: unit
            for unit in Unit.objects.filter(
                parent=province, type=UnitType.AGENCY, code__startswith=f"{DEMO_PROVINCE_CODE}."
            )
        }
        load_demo_plan(actor=User.objects.get(username=PLANNER), province=province, agencies=agencies)
        set_setting(actor=None, key=PLANS_KEY, value=True)

    @transaction.atomic
    def load(self):
        self.stdout.write("Nạp đơn vị hành chính chính thức của tỉnh Khánh Hòa…")
        call_command("units", "load-official", "--province", DEMO_PROVINCE_CODE, stdout=self.stdout)
        province = Unit.objects.get(type=UnitType.PROVINCE, code=DEMO_PROVINCE_CODE, valid_to__isnull=True)
        agencies = {}
        for suffix, name, kind, subunits in AGENCIES:
            agency = unit_services.create_unit(
                actor=None,
                name=name,
                type=UnitType.AGENCY,
                code=f"{DEMO_PROVINCE_CODE}.{suffix}",
                parent=province,
                kind=kind,
                valid_from=province.valid_from,
            )
            agencies[suffix] = agency
            for sub_suffix, sub_name, sub_kind in subunits:
                unit_services.create_unit(
                    actor=None,
                    name=sub_name,
                    type=UnitType.SUBUNIT,
                    code=f"{agency.code}.{sub_suffix}",
                    parent=agency,
                    kind=sub_kind,
                    valid_from=province.valid_from,
                )
        for username, full_name, position, roles in PEOPLE:
            user = account_services.create_user(
                actor=None, username=username, password=DEMO_PASSWORD, full_name=full_name, position=position
            )
            for reference, role in roles:
                account_services.grant_role(
                    actor=None, user=user, unit=self.resolve(reference, province, agencies), role=role
                )
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser(
                "admin", "admin@localhost", DEMO_PASSWORD, full_name="Quản trị kỹ thuật"
            )
        set_setting(actor=None, key=DEMO_KEY, value=True)

    @staticmethod
    def resolve(reference, province, agencies):
        if reference == "province":
            return province
        if reference.startswith("commune:"):
            return Unit.objects.subtree(province).get(name=reference.split(":", 1)[1], valid_to__isnull=True)
        return agencies[reference]

    def print_accounts(self):
        self.stdout.write("")
        self.stdout.write(f"Tài khoản minh họa (mật khẩu chung: {DEMO_PASSWORD}):")
        for username, full_name, position, _roles in PEOPLE:
            self.stdout.write(f"  {username:<18} {full_name} — {position}")
        self.stdout.write(f"  {'admin':<18} Quản trị kỹ thuật (trang /admin/)")
